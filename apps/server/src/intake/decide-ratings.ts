import type { Evaluation } from '@hcp/contracts';
import type { DB } from '@hcp/db';
import {
  abuseFlags,
  type BurstRule,
  channelById,
  checkEvaluationContent,
  DomainError,
  type RatingCatalogData,
  type RatingLevel,
  ratingWindowState,
  type TicketState,
} from '@hcp/domain';
import type { Selectable } from 'kysely';
import type { RatingRequest } from './rating-request';

/** What the database says about the cases, ratings, tokens and keys a batch touches. */
export interface RatingState {
  now: Date;
  windowDays: number;
  catalog: RatingCatalogData;
  burst: BurstRule;
  cases: Map<string, CaseFacts>;
  /** `${caseNo}:${round}` → the stored rating's id and level. */
  rated: Map<string, { id: string; level: number }>;
  tokens: Map<string, { caseNo: string; round: number; expiresAt: Date; usedAt: Date | null }>;
  /** `${scope}\n${key}` → the first answer. */
  replays: Map<string, { requestHash: string; statusCode: number; response: unknown }>;
  /** Top (5-star) ratings already given in the burst window, per device, account and IP. */
  recentTop: { device: Map<string, number>; account: Map<string, number>; ip: Map<string, number> };
  /** caseNo → its ticket's state, for the cases of round-2 requests. */
  ticketStates: Map<string, TicketState>;
}

export interface CaseFacts {
  caseNo: string;
  itemCode: string;
  unitCode: string;
  unitPath: string;
  windowNo: string | null;
  staffNo: string | null;
  applicantHash: string;
  acceptedAt: Date;
  completedAt: Date | null;
}

/** A rating the batch will insert: an evaluations row less what the database fills in. */
export type AcceptedRow = Omit<
  Selectable<DB['evaluations']>,
  'id' | 'is_default' | 'created_at' | 'publication' | 'comment_public' | 'comment_grams'
>;

export type Decision =
  | { kind: 'accept'; row: AcceptedRow; tokenHash: string | null }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'reject'; status: number; error: DomainError }
  /** Same case and round as an earlier request of this batch: answered once that one is known. */
  | { kind: 'duplicate'; of: number; sameKey: boolean };

const reject = (status: number, error: DomainError): Decision => ({ kind: 'reject', status, error });
const err = (
  code: ConstructorParameters<typeof DomainError>[0],
  en: string,
  zh: string,
  details: Record<string, unknown>,
) => new DomainError(code, { en, zh }, details);

/**
 * Decides every request of a batch against the loaded state, in arrival order, without I/O: the
 * rules of DOMAIN.md §5 (case exists, window open, one rating per case and round, round 2 only while
 * the bad round 1’s ticket awaits its revisit, content fits the catalogue) plus token and idempotency checks and abuse flags.
 */
export function decideRatings(requests: RatingRequest[], s: RatingState): Decision[] {
  const claimed = new Map<string, number>();
  const keys = new Map<string, number>();
  const top = {
    device: new Map(s.recentTop.device),
    account: new Map(s.recentTop.account),
    ip: new Map(s.recentTop.ip),
  };
  return requests.map((r, index) => {
    const { input } = r;
    const idem = r.idempotency;
    if (idem) {
      const k = `${idem.scope}\n${idem.key}`;
      const prior = s.replays.get(k);
      if (prior) {
        return prior.requestHash === idem.requestHash
          ? { kind: 'replay', status: prior.statusCode, body: prior.response }
          : reject(422, keyReused());
      }
      const earlier = keys.get(k);
      if (earlier !== undefined) {
        const same = requests[earlier]!.idempotency!.requestHash === idem.requestHash;
        if (!same) return reject(422, keyReused());
        return { kind: 'duplicate', of: earlier, sameKey: true };
      }
      keys.set(k, index);
    }
    const found = s.cases.get(input.caseNo);
    // A case outside the caller's subtree is answered exactly like one that does not exist.
    const c =
      found && (r.restrictPath === undefined || found.unitPath.startsWith(r.restrictPath))
        ? found
        : undefined;
    if (!c) {
      return reject(
        422,
        err(
          'UNPROCESSABLE',
          `caseNo: case ${input.caseNo} does not exist`,
          `caseNo：办件 ${input.caseNo} 不存在`,
          { field: 'caseNo' },
        ),
      );
    }
    if (r.restrictWindow !== undefined && c.windowNo !== r.restrictWindow) {
      return reject(
        403,
        err('FORBIDDEN', 'this pad may rate only cases of its own window', '评价器只能评价本窗口的办件', {
          field: 'caseNo',
        }),
      );
    }
    let tokenHash: string | null = null;
    if (r.actor.kind === 'token') {
      const t = s.tokens.get(r.actor.id);
      if (!t || t.caseNo !== input.caseNo || t.round !== input.round) {
        return reject(
          403,
          err('FORBIDDEN', 'this rating token is for another case or round', '该评价凭证不适用于此办件', {
            field: 'caseNo',
          }),
        );
      }
      if (t.usedAt) return reject(409, tokenUsed());
      if (t.expiresAt < s.now)
        return reject(
          422,
          err('UNPROCESSABLE', 'this rating token has expired', '该评价凭证已过期', {
            reason: 'TOKEN_EXPIRED',
          }),
        );
      tokenHash = r.actor.id;
    }
    if (input.round === 1) {
      const state = ratingWindowState(c, s.now, s.windowDays);
      if (state !== 'open') {
        const [en, zh] =
          state === 'closed'
            ? [
                `the rating window closed ${s.windowDays} days after completion`,
                `已超过办结后 ${s.windowDays} 天的评价期限`,
              ]
            : ['the case has not been accepted yet', '办件尚未受理'];
        return reject(
          422,
          err('UNPROCESSABLE', en, zh, {
            field: 'caseNo',
            reason: state === 'closed' ? 'RATING_WINDOW_CLOSED' : 'NOT_ACCEPTED',
          }),
        );
      }
    }
    const slot = `${input.caseNo}:${input.round}`;
    const stored = s.rated.get(slot);
    if (stored) return reject(409, alreadyRated(stored.id));
    const earlier = claimed.get(slot);
    if (earlier !== undefined) return { kind: 'duplicate', of: earlier, sameKey: false };
    if (input.round === 2) {
      // A re-rating answers the revisit of the bad rating's ticket, once the unit has acted on it.
      const first = s.rated.get(`${input.caseNo}:1`);
      if (!first || first.level > 2 || s.ticketStates.get(input.caseNo) !== 'revisiting') {
        return reject(
          422,
          err(
            'UNPROCESSABLE',
            'round: a re-rating (round 2) is open only while the bad rating’s ticket awaits it',
            'round：仅在差评工单整改后待回访时可进行二次评价',
            {
              field: 'round',
              reason: 'ROUND_NOT_OPEN',
            },
          ),
        );
      }
    }
    const problems = checkEvaluationContent(
      input as { level: RatingLevel },
      s.catalog,
      channelById(input.channel).type,
    );
    if (problems.length) {
      const p = problems[0]!;
      return reject(
        422,
        err('UNPROCESSABLE', `${p.field}: ${p.message}`, `${p.field}：${zhOf(p.code)}`, {
          field: p.field,
          reason: p.code,
          problems,
        }),
      );
    }
    claimed.set(slot, index);
    const count = (m: Map<string, number>, k: string | null | undefined) => (k ? (m.get(k) ?? 0) : 0);
    const flags = abuseFlags(
      { level: input.level as RatingLevel, deviceId: input.deviceId, account: input.account, ip: r.ip },
      {
        device: count(top.device, input.deviceId),
        account: count(top.account, input.account),
        ip: count(top.ip, r.ip),
      },
      // A rating given by the handling staff member themself (their staff number as account or operator id).
      !!c.staffNo &&
        (input.account === c.staffNo || (r.actor.kind === 'operator' && r.actor.id === c.staffNo)),
      s.burst,
    );
    if (input.level === 5) {
      if (input.deviceId) top.device.set(input.deviceId, count(top.device, input.deviceId) + 1);
      if (input.account) top.account.set(input.account, count(top.account, input.account) + 1);
      if (r.ip) top.ip.set(r.ip, count(top.ip, r.ip) + 1);
    }
    return {
      kind: 'accept',
      tokenHash,
      row: {
        case_no: c.caseNo,
        round: input.round,
        level: input.level,
        channel: input.channel,
        catalog_version: s.catalog.version,
        indicators: input.indicators ?? {},
        reasons: input.reasons ?? [],
        comment: input.comment?.trim() ? input.comment.trim() : null,
        applicant_hash: c.applicantHash,
        item_code: c.itemCode,
        unit_code: c.unitCode,
        unit_path: c.unitPath,
        window_no: c.windowNo,
        staff_no: c.staffNo,
        actor_kind: r.actor.kind,
        actor_id: r.actor.id,
        account: input.account ?? null,
        device_id: input.deviceId ?? null,
        ip: r.ip,
        flags,
      },
    };
  });
}

/** 409 naming the rating that got there first. */
export function alreadyRated(id: string): DomainError {
  return err('CONFLICT', 'this case has already been rated in this round', '该办件本轮已评价', {
    field: 'caseNo',
    reason: 'ALREADY_RATED',
    evaluationId: id,
  });
}

/** 409 for a single-use token that has been used. */
export function tokenUsed(): DomainError {
  return err('CONFLICT', 'this rating token has been used', '该评价凭证已使用', {
    field: 'caseNo',
    reason: 'TOKEN_USED',
  });
}

/** 422 for an Idempotency-Key reused with a different request. */
export function keyReused(): DomainError {
  return err(
    'UNPROCESSABLE',
    'Idempotency-Key was already used with a different request',
    'Idempotency-Key 已用于另一个不同的请求',
    { field: 'headers.idempotency-key', reason: 'IDEMPOTENCY_KEY_REUSED' },
  );
}

const ZH_RULE: Record<string, string> = {
  REASON_REQUIRED: '差评须至少选择一项原因或填写意见',
  UNKNOWN_REASON: '差评原因不在目录中',
  UNKNOWN_INDICATOR: '评价指标不属于该渠道类型',
  DUPLICATE_REASON: '差评原因重复',
};
const zhOf = (code: string) => ZH_RULE[code] ?? '不符合评价规则';

/** The API form of a stored rating. */
export function presentEvaluation(
  row: AcceptedRow & {
    id: string;
    created_at: Date;
    is_default?: boolean;
  },
): Evaluation {
  return {
    id: String(row.id),
    caseNo: row.case_no,
    round: row.round,
    level: row.level,
    isDefault: row.is_default ?? false,
    channel: row.channel,
    catalogVersion: row.catalog_version,
    indicators: row.indicators,
    reasons: row.reasons,
    comment: row.comment,
    itemCode: row.item_code,
    unitCode: row.unit_code,
    windowNo: row.window_no,
    staffNo: row.staff_no,
    flags: row.flags,
    createdAt: row.created_at.toISOString(),
  };
}
