import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Executor } from '@hcp/db';
import type { RoleId } from '@hcp/domain';
import { createAccount } from '../identity/accounts';
import { recordAudit } from '../identity/audit';

/** One account per role, so a visitor of a fresh demo can see the console as each user does. */
const DEMO_ACCOUNTS: { username: string; displayName: string; role: RoleId; unitCode: string | null }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'sysadmin', unitCode: null },
  { username: 'supervisor', displayName: '市政务服务办督办员', role: 'supervisor', unitCode: '310000' },
  { username: 'pudong.admin', displayName: '浦东新区单位管理员', role: 'unit_admin', unitCode: '310115' },
  { username: 'auditor', displayName: '审计员', role: 'auditor', unitCode: '310000' },
];

export interface DemoAccounts {
  usernames: string[];
  password: string;
  /** Where the sign-in details are kept (readable by the file's owner only). */
  file: string;
}

/**
 * Creates the demo accounts of an embedded demo with one generated password, plus a staff account
 * for the window with the most ratings, and writes the sign-in details to DATA_DIR so they survive
 * the first start's output. Only `hcp start` on an empty embedded database calls this.
 */
export async function seedDemoAccounts(db: Executor, dataDir: string, now: Date): Promise<DemoAccounts> {
  const password = `Demo-${randomBytes(9).toString('base64url')}`;
  const busiest = await db
    .selectFrom('evaluations as e')
    .innerJoin('staff as s', 's.staff_no', 'e.staff_no')
    .select(['s.staff_no', 's.unit_code', (eb) => eb.fn.countAll().as('n')])
    .where('s.window_no', 'is not', null)
    .groupBy(['s.staff_no', 's.unit_code'])
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirst();
  const accounts = [
    ...DEMO_ACCOUNTS.map((a) => ({ ...a, staffNo: null as string | null })),
    ...(busiest
      ? [
          {
            username: 'staff',
            displayName: '窗口工作人员',
            role: 'staff' as const,
            unitCode: busiest.unit_code,
            staffNo: busiest.staff_no,
          },
        ]
      : []),
  ];
  for (const a of accounts) await createAccount(db, { ...a, password }, now);
  await recordAudit(
    db,
    null,
    {
      action: 'account.demo_create',
      targetType: 'account',
      after: { usernames: accounts.map((a) => a.username) },
    },
    { kind: 'cli', id: 'hcp start' },
  );
  const file = join(dataDir, 'demo-accounts.txt');
  const lines = [
    '好差评 demo accounts (embedded demo only; all share this password)',
    `password: ${password}`,
    ...accounts.map(
      (a) =>
        `${a.username.padEnd(14)} ${a.role.padEnd(11)} ${a.unitCode ?? '(all)'}${a.staffNo ? ` staff ${a.staffNo}` : ''}`,
    ),
    '',
  ];
  writeFileSync(file, lines.join('\n'), { mode: 0o600 });
  return { usernames: accounts.map((a) => a.username), password, file };
}
