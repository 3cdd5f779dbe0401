import type { CaseInput } from '@hcp/contracts';
import type { TestApp } from './test-app';
import { asAdmin } from './test-app';

/** A window with its unit and a staff member serving there, plus an item: what a case refers to. */
export interface Counter {
  unitCode: string;
  windowNo: string;
  staffNo: string;
  itemCode: string;
}

/** Finds a staffed window and an item in the demo catalogue. */
export async function findCounter(t: TestApp): Promise<Counter> {
  const staff = await t.database.db
    .selectFrom('staff')
    .innerJoin('windows', 'windows.no', 'staff.window_no')
    .select(['staff.staff_no', 'windows.no', 'windows.unit_code'])
    .orderBy('staff.staff_no')
    .limit(1)
    .executeTakeFirstOrThrow();
  const item = await t.database.db
    .selectFrom('items')
    .select('code')
    .orderBy('code')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { unitCode: staff.unit_code, windowNo: staff.no, staffNo: staff.staff_no, itemCode: item.code };
}

let seq = 0;

/** A completed case at the counter, accepted an hour before `at` and completed at `at`. */
export function makeCase(counter: Counter, at: Date, over: Partial<CaseInput> = {}): CaseInput {
  seq += 1;
  return {
    caseNo: `T${at.getTime().toString(36)}${String(seq).padStart(5, '0')}`,
    itemCode: counter.itemCode,
    unitCode: counter.unitCode,
    windowNo: counter.windowNo,
    staffNo: counter.staffNo,
    applicant: {
      kind: 'person',
      certType: '111',
      certNo: '11010519491231002X',
      name: '王小明',
      phone: '13912345678',
    },
    acceptedAt: new Date(at.getTime() - 3_600_000).toISOString(),
    completedAt: at.toISOString(),
    status: 'completed',
    promiseType: 'immediate',
    ...over,
  };
}

/** Pushes a case as the business system does. */
export async function pushCase(t: TestApp, c: CaseInput) {
  return t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: asAdmin, payload: c });
}

/** Rates as a channel system (bootstrap key), optionally with an Idempotency-Key. */
export async function rate(
  t: TestApp,
  body: Record<string, unknown>,
  opts: { key?: string; auth?: string } = {},
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/evaluations',
    headers: {
      authorization: opts.auth ?? asAdmin.authorization,
      ...(opts.key ? { 'idempotency-key': opts.key } : {}),
    },
    payload: body,
  });
}
