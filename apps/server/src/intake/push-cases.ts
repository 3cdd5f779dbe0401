import type { CaseInput } from '@hcp/contracts';
import { anyOf, type CaseRow, type Executor, inTransaction, lockCases, upsertCases } from '@hcp/db';
import { canAdvance, DomainError, inScope, maskName } from '@hcp/domain';
import { normalizeCertNo, type Protector } from '../security/protector';
import { type InviteOptions, inviteToRate } from './invite-to-rate';

export type PushOutcome =
  | { caseNo: string; outcome: 'created' | 'updated' | 'unchanged'; completedNow: boolean }
  | { caseNo: string; outcome: 'rejected'; error: DomainError };

/** Existence of everything a batch of cases refers to, in four queries whatever the batch size. */
async function references(db: Executor, inputs: CaseInput[]) {
  const pick = (f: (c: CaseInput) => string | undefined) => [
    ...new Set(inputs.map(f).filter((v): v is string => !!v)),
  ];
  const [items, units, windows, staff] = await Promise.all([
    db
      .selectFrom('items')
      .select('code')
      .where(
        anyOf(
          'code',
          pick((c) => c.itemCode),
        ),
      )
      .execute(),
    db
      .selectFrom('units')
      .select(['code', 'path'])
      .where(
        anyOf(
          'code',
          pick((c) => c.unitCode),
        ),
      )
      .execute(),
    db
      .selectFrom('windows')
      .select('no')
      .where(
        anyOf(
          'no',
          pick((c) => c.windowNo),
        ),
      )
      .execute(),
    db
      .selectFrom('staff')
      .select('staff_no')
      .where(
        anyOf(
          'staff_no',
          pick((c) => c.staffNo),
        ),
      )
      .execute(),
  ]);
  return {
    items: new Set(items.map((i) => i.code)),
    unitPaths: new Map(units.map((u) => [u.code, u.path])),
    windows: new Set(windows.map((w) => w.no)),
    staff: new Set(staff.map((s) => s.staff_no)),
  };
}

const unknown = (field: string, what: string, value: string) =>
  new DomainError(
    'UNPROCESSABLE',
    { en: `${field}: ${what} ${value} does not exist`, zh: `${field}：${value} 不存在` },
    { field, value },
  );

// Instants a case can plausibly carry; outside this, a value is a client bug (or year 0000, which
// RFC 3339 allows and PostgreSQL does not).
const EARLIEST = Date.UTC(1990, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

/** A date-time field as epoch milliseconds, or the 422 naming it. */
function instantOf(value: string, field: string): number | DomainError {
  const ms = Date.parse(value);
  // No zone on Earth is more than 14 hours from UTC; a larger offset is a malformed value.
  const offset = /([+-])(\d\d):(\d\d)$/.exec(value);
  const offsetOk = !offset || Number(offset[2]) * 60 + Number(offset[3]) <= 14 * 60;
  if (Number.isNaN(ms) || ms < EARLIEST || ms >= LATEST || !offsetOk) {
    return new DomainError(
      'UNPROCESSABLE',
      { en: `${field}: not a time this system can hold (${value})`, zh: `${field}：时间无效或超出范围` },
      { field },
    );
  }
  return ms;
}

/** The first rule a case breaks, or null. */
function problemOf(
  c: CaseInput,
  refs: Awaited<ReturnType<typeof references>>,
  existing: { status: CaseInput['status']; unit_path: string } | undefined,
  scopePath: string | null,
): DomainError | null {
  if (!refs.items.has(c.itemCode)) return unknown('itemCode', 'item', c.itemCode);
  // A unit outside the caller's subtree is answered like one that does not exist.
  const unitPath = refs.unitPaths.get(c.unitCode);
  if (!unitPath || !inScope(scopePath, unitPath)) return unknown('unitCode', 'unit', c.unitCode);
  if (existing && !inScope(scopePath, existing.unit_path)) {
    return new DomainError(
      'CONFLICT',
      { en: 'caseNo: already used by another unit', zh: 'caseNo：办件编号已被其他单位使用' },
      { field: 'caseNo' },
    );
  }
  if (c.windowNo && !refs.windows.has(c.windowNo)) return unknown('windowNo', 'window', c.windowNo);
  if (c.staffNo && !refs.staff.has(c.staffNo)) return unknown('staffNo', 'staff', c.staffNo);
  const accepted = instantOf(c.acceptedAt, 'acceptedAt');
  if (accepted instanceof DomainError) return accepted;
  const completed = c.completedAt === undefined ? null : instantOf(c.completedAt, 'completedAt');
  if (completed instanceof DomainError) return completed;
  if ((c.status === 'completed') !== (c.completedAt !== undefined)) {
    return new DomainError(
      'UNPROCESSABLE',
      {
        en: 'completedAt: required exactly when status is completed',
        zh: 'completedAt：仅在办结状态时填写且必须填写',
      },
      { field: 'completedAt' },
    );
  }
  if (completed !== null && completed < accepted) {
    return new DomainError(
      'UNPROCESSABLE',
      { en: 'completedAt: earlier than acceptedAt', zh: 'completedAt：办结时间早于受理时间' },
      { field: 'completedAt' },
    );
  }
  if (existing && !canAdvance(existing.status, c.status)) {
    return new DomainError(
      'CONFLICT',
      {
        en: `status: a ${existing.status} case cannot go back to ${c.status}`,
        zh: `status：办件状态不能从 ${existing.status} 回退到 ${c.status}`,
      },
      { field: 'status', current: existing.status },
    );
  }
  return null;
}

/** The stored form of a case: certificate hashed, name masked and sealed, phone sealed and hashed. */
function toRow(c: CaseInput, unitPath: string, source: string, protector: Protector): CaseRow {
  const name = c.applicant.name.trim();
  return {
    case_no: c.caseNo,
    item_code: c.itemCode,
    unit_code: c.unitCode,
    unit_path: unitPath,
    window_no: c.windowNo ?? null,
    staff_no: c.staffNo ?? null,
    applicant_kind: c.applicant.kind,
    applicant_cert_type: c.applicant.certType,
    applicant_cert_hash: protector.hash('cert', normalizeCertNo(c.applicant.certNo)),
    applicant_name: c.applicant.kind === 'person' ? maskName(name) : name,
    applicant_name_enc: protector.encrypt(name),
    applicant_name_hash: protector.hash('name', name),
    applicant_phone_enc: c.applicant.phone ? protector.encrypt(c.applicant.phone) : null,
    applicant_phone_hash: c.applicant.phone ? protector.hash('phone', c.applicant.phone) : null,
    promise_type: c.promiseType,
    status: c.status,
    // Normalised: PostgreSQL reads some RFC 3339 forms differently (leap seconds, offsets past ±15:59).
    accepted_at: new Date(c.acceptedAt).toISOString(),
    completed_at: c.completedAt ? new Date(c.completedAt).toISOString() : null,
    source,
  };
}

/**
 * Inserts or updates cases pushed by a business system (idempotent by case number) in one
 * transaction. Each record gets its own outcome: a bad record is rejected without stopping the
 * others. Status only moves forward. With `invite`, the applicants of cases that completed with
 * this push are invited to rate in the same transaction (outbox).
 */
export async function pushCases(
  deps: { db: Executor; protector: Protector; invite?: InviteOptions },
  inputs: CaseInput[],
  source: string,
  scopePath: string | null = null,
): Promise<PushOutcome[]> {
  return inTransaction(deps.db, async (trx) => {
    const refs = await references(trx, inputs);
    const existing = await lockCases(
      trx,
      inputs.map((c) => c.caseNo),
    );
    const seen = new Set<string>();
    const outcomes: PushOutcome[] = [];
    const rows: CaseRow[] = [];
    for (const c of inputs) {
      const before = existing.get(c.caseNo);
      const error = seen.has(c.caseNo)
        ? new DomainError(
            'UNPROCESSABLE',
            { en: 'caseNo: appears twice in the batch', zh: 'caseNo：批次内重复' },
            { field: 'caseNo' },
          )
        : problemOf(c, refs, before, scopePath);
      seen.add(c.caseNo);
      if (error) {
        outcomes.push({ caseNo: c.caseNo, outcome: 'rejected', error });
        continue;
      }
      rows.push(toRow(c, refs.unitPaths.get(c.unitCode)!, source, deps.protector));
      outcomes.push({
        caseNo: c.caseNo,
        outcome: before ? 'unchanged' : 'created',
        completedNow: c.status === 'completed' && before?.status !== 'completed',
      });
    }
    const { updatedKeys } = await upsertCases(trx, rows);
    const updated = new Set(updatedKeys);
    for (const o of outcomes) if (o.outcome === 'unchanged' && updated.has(o.caseNo)) o.outcome = 'updated';
    if (deps.invite) {
      const completed = outcomes.flatMap((o) =>
        o.outcome !== 'rejected' && o.completedNow ? [o.caseNo] : [],
      );
      await inviteToRate(trx, { protector: deps.protector, ...deps.invite }, completed);
    }
    return outcomes;
  });
}
