import type { Executor } from '@hcp/db';
import { DomainError, type RoleId } from '@hcp/domain';
import { checkPasswordStrength, hashPassword } from './passwords';

/** An account as the API shows it: never the password hash. */
export interface AccountView {
  id: string;
  username: string;
  displayName: string;
  role: RoleId;
  unitCode: string | null;
  staffNo: string | null;
  locked: boolean;
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: RoleId;
  unitCode: string | null;
  staffNo: string | null;
  password: string;
}

/**
 * Creates an account. Every role but sysadmin is scoped to an existing unit's subtree; a staff
 * account names its staff member. The password is checked for strength and stored as argon2id.
 * @throws DomainError VALIDATION_FAILED (password), UNPROCESSABLE (unit, staff), CONFLICT (username)
 */
export async function createAccount(db: Executor, a: NewAccount, now: Date): Promise<AccountView> {
  checkPasswordStrength(a.password);
  if (a.role !== 'sysadmin' && !a.unitCode) {
    throw new DomainError(
      'UNPROCESSABLE',
      { en: 'unitCode: required for this role', zh: 'unitCode：该角色必须指定所属单位' },
      { field: 'unitCode' },
    );
  }
  if (
    a.unitCode &&
    !(await db.selectFrom('units').select('code').where('code', '=', a.unitCode).executeTakeFirst())
  ) {
    throw new DomainError(
      'UNPROCESSABLE',
      { en: `unitCode: unit ${a.unitCode} does not exist`, zh: 'unitCode：单位不存在' },
      { field: 'unitCode' },
    );
  }
  if (a.role === 'staff' && !a.staffNo) {
    throw new DomainError(
      'UNPROCESSABLE',
      { en: 'staffNo: required for a staff account', zh: 'staffNo：窗口人员账号须关联工号' },
      { field: 'staffNo' },
    );
  }
  if (
    a.staffNo &&
    !(await db.selectFrom('staff').select('staff_no').where('staff_no', '=', a.staffNo).executeTakeFirst())
  ) {
    throw new DomainError(
      'UNPROCESSABLE',
      { en: `staffNo: ${a.staffNo} does not exist`, zh: 'staffNo：工号不存在' },
      { field: 'staffNo' },
    );
  }
  const taken = await db
    .selectFrom('accounts')
    .select('id')
    .where('username', '=', a.username)
    .executeTakeFirst();
  if (taken)
    throw new DomainError(
      'CONFLICT',
      { en: 'username: already taken', zh: 'username：用户名已存在' },
      { field: 'username' },
    );
  const row = await db
    .insertInto('accounts')
    .values({
      username: a.username,
      display_name: a.displayName,
      role: a.role,
      unit_code: a.unitCode,
      staff_no: a.staffNo,
      password_hash: await hashPassword(a.password),
      created_at: now,
      updated_at: now,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return {
    id: String(row.id),
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    unitCode: a.unitCode,
    staffNo: a.staffNo,
    locked: false,
  };
}
