import type { Case } from '@hcp/contracts';
import type { CaseStatus } from '@hcp/domain';
import { sql } from 'kysely';
import type { CasesTable } from './schema';
import { anyOf, type Executor, type UpsertCounts, upsertRows } from './sql-helpers';

/** A case row ready to store: personal data already hashed, encrypted or masked by the caller. */
export type CaseRow = Omit<
  CasesTable,
  'created_at' | 'updated_at' | 'window_settled_at' | 'accepted_at' | 'completed_at'
> & {
  accepted_at: string;
  completed_at: string | null;
};

/** Status and completion of existing cases, locked until the transaction ends. */
export async function lockCases(db: Executor, caseNos: string[]) {
  if (caseNos.length === 0)
    return new Map<string, { status: CaseStatus; completed_at: Date | null; unit_path: string }>();
  const rows = await db
    .selectFrom('cases')
    .select(['case_no', 'status', 'completed_at', 'unit_path'])
    .where(anyOf('case_no', caseNos))
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.case_no, r]));
}

const STATUS_ORDER = sql`ARRAY['pending', 'in_progress', 'completed']`;

/**
 * Inserts or updates cases by number; status never moves backwards (guarded in SQL as well as by
 * the caller). Ciphertexts and the pushing system are not compared, so an identical re-push is
 * `unchanged`.
 */
export async function upsertCases(db: Executor, rows: CaseRow[]): Promise<UpsertCounts> {
  return upsertRows<CaseRow>(
    db,
    {
      table: 'cases',
      key: 'case_no',
      columns: {
        case_no: 'text',
        item_code: 'text',
        unit_code: 'text',
        unit_path: 'text',
        window_no: 'text',
        staff_no: 'text',
        applicant_kind: 'text',
        applicant_cert_type: 'text',
        applicant_cert_hash: 'text',
        applicant_name: 'text',
        applicant_name_enc: 'text',
        applicant_name_hash: 'text',
        applicant_phone_enc: 'text',
        applicant_phone_hash: 'text',
        promise_type: 'text',
        status: 'text',
        accepted_at: 'timestamptz',
        completed_at: 'timestamptz',
        source: 'text',
      },
      notCompared: ['applicant_name_enc', 'applicant_phone_enc', 'source'],
      updateGuard: sql<boolean>`array_position(${STATUS_ORDER}, excluded.status) >= array_position(${STATUS_ORDER}, cases.status)`,
    },
    rows,
  );
}

/** One case as the API shows it (no certificate number, no phone), or null. */
export async function getCase(db: Executor, caseNo: string): Promise<Case | null> {
  const r = await db
    .selectFrom('cases as c')
    .leftJoin('evaluations as e', (j) => j.onRef('e.case_no', '=', 'c.case_no').on('e.round', '=', 1))
    .selectAll('c')
    .select('e.created_at as rated_at')
    .where('c.case_no', '=', caseNo)
    .executeTakeFirst();
  if (!r) return null;
  return {
    caseNo: r.case_no,
    itemCode: r.item_code,
    unitCode: r.unit_code,
    windowNo: r.window_no,
    staffNo: r.staff_no,
    applicant: { kind: r.applicant_kind, certType: r.applicant_cert_type, name: r.applicant_name },
    status: r.status,
    promiseType: r.promise_type,
    acceptedAt: r.accepted_at.toISOString(),
    completedAt: r.completed_at?.toISOString() ?? null,
    ratedAt: r.rated_at?.toISOString() ?? null,
  };
}
