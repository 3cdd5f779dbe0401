import { type Executor, inTransaction } from '@hcp/db';
import { type BurstRule, openingDeadlines, type RatingCatalogData, type TicketState } from '@hcp/domain';
import { pickRule } from '../tickets/deadline-rules';
import { applyTicketAction, type TransitionContext } from '../tickets/transition';
import {
  type AcceptedRow,
  alreadyRated,
  type Decision,
  decideRatings,
  keyReused,
  presentEvaluation,
  type RatingState,
  tokenUsed,
} from './decide-ratings';
import type { RatingRequest, RatingResult } from './rating-request';
import { readState, type StoredEvaluationJson, type WriteRow, writeAccepted } from './rating-statements';

export interface WriteOptions {
  now: Date;
  windowDays: number;
  catalog: RatingCatalogData;
  burst: BurstRule;
  /** What opening a ticket (bad round 1) and closing the revisit (round 2) need. */
  tickets: Omit<TransitionContext, 'now'>;
}

const uniq = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];
const slotOf = (caseNo: string, round: number) => `${caseNo}:${round}`;

/** Reads everything the batch's decisions depend on, in one statement whatever its size. */
async function loadState(db: Executor, requests: RatingRequest[], o: WriteOptions): Promise<RatingState> {
  const tops = requests.filter((r) => r.input.level === 5);
  const rows = await readState(db, {
    caseNos: uniq(requests.map((r) => r.input.caseNo)),
    tokenHashes: uniq(requests.map((r) => (r.actor.kind === 'token' ? r.actor.id : null))),
    keys: requests.flatMap((r) => (r.idempotency ? [r.idempotency] : [])),
    topDevices: uniq(tops.map((r) => r.input.deviceId)),
    topAccounts: uniq(tops.map((r) => r.input.account)),
    topIps: uniq(tops.map((r) => r.ip)),
    since: new Date(o.now.getTime() - o.burst.windowMinutes * 60_000),
    revisitCaseNos: uniq(requests.map((r) => (r.input.round === 2 ? r.input.caseNo : null))),
  });
  const topOf = (col: string) => new Map(rows.top.filter((r) => r.col === col).map((r) => [r.k, r.n]));
  return {
    now: o.now,
    windowDays: o.windowDays,
    catalog: o.catalog,
    burst: o.burst,
    cases: new Map(
      rows.cases.map((c) => [
        c.case_no,
        {
          caseNo: c.case_no,
          itemCode: c.item_code,
          unitCode: c.unit_code,
          unitPath: c.unit_path,
          windowNo: c.window_no,
          staffNo: c.staff_no,
          applicantHash: c.applicant_cert_hash,
          acceptedAt: new Date(c.accepted_at),
          completedAt: c.completed_at === null ? null : new Date(c.completed_at),
        },
      ]),
    ),
    rated: new Map(
      rows.cases.flatMap((c) =>
        c.rating_id === null
          ? []
          : [[slotOf(c.case_no, c.rating_round!), { id: c.rating_id, level: c.rating_level! }] as const],
      ),
    ),
    tokens: new Map(
      rows.tokens.map((t) => [
        t.token_hash,
        {
          caseNo: t.case_no,
          round: t.round,
          expiresAt: new Date(t.expires_at),
          usedAt: t.used_at === null ? null : new Date(t.used_at),
        },
      ]),
    ),
    replays: new Map(
      rows.replays.map((k) => [
        `${k.scope}\n${k.key}`,
        { requestHash: k.request_hash, statusCode: k.status_code, response: answerOf(k) },
      ]),
    ),
    recentTop: { device: topOf('device'), account: topOf('account'), ip: topOf('ip') },
    ticketStates: new Map(rows.tickets.map((t) => [t.case_no, t.state as TicketState])),
  };
}

/** A stored key's first answer: kept as a body (older rows) or the rating it created, presented again. */
function answerOf(k: { response: unknown; evaluation: StoredEvaluationJson | null }): unknown {
  if (k.evaluation === null) return k.response;
  const e = k.evaluation;
  return presentEvaluation({
    ...(e as unknown as AcceptedRow),
    id: e.id,
    is_default: e.is_default,
    created_at: new Date(e.created_at),
  });
}

/**
 * Writes one batch of ratings: decides each request against one read of the state, then stores the
 * accepted ones with one statement (tokens marked used, ratings, tickets for bad ratings with their
 * events and outbox news, idempotency keys), which commits as a whole. A batch holding an accepted
 * re-rating (round 2) runs in a transaction instead, because each re-rating then moves its ticket
 * (revisit) under a row lock. The results, in request order, hold once this returns.
 */
export async function writeRatings(
  db: Executor,
  requests: RatingRequest[],
  o: WriteOptions,
): Promise<RatingResult[]> {
  const decisions = decideRatings(requests, await loadState(db, requests, o));
  const revisits = decisions.some((d) => d.kind === 'accept' && d.row.round === 2);
  return revisits
    ? inTransaction(db, (trx) => store(trx, requests, decisions, o, true))
    : store(db, requests, decisions, o, false);
}

async function store(
  db: Executor,
  requests: RatingRequest[],
  decisions: Decision[],
  o: WriteOptions,
  revisits: boolean,
): Promise<RatingResult[]> {
  const results: (RatingResult | null)[] = decisions.map((d) =>
    d.kind === 'reject' ? { status: d.status, error: d.error } : d.kind === 'replay' ? replayOf(d) : null,
  );
  const accepted = decisions.flatMap((d, i) => (d.kind === 'accept' ? [{ i, d }] : []));
  if (accepted.length) {
    const rules = await o.tickets.policy.rules(db);
    const rows: WriteRow[] = accepted.map(({ i, d }) => {
      const opens = d.row.round === 1 && d.row.level <= 2;
      const due = opens
        ? openingDeadlines(o.now, pickRule(rules, d.row.unit_path), o.tickets.policy.calendar)
        : null;
      const idem = requests[i]!.idempotency;
      return {
        i,
        ...d.row,
        token_hash: d.tokenHash,
        idem_scope: idem?.scope ?? null,
        idem_key: idem?.key ?? null,
        idem_hash: idem?.requestHash ?? null,
        contact_due: due?.contactDue ?? null,
        reply_due: due?.replyDue ?? null,
        rectify_due: due?.rectifyDue ?? null,
        appeal_due: due?.appealDue ?? null,
      };
    });
    const outcomes = await writeAccepted(db, rows, o.now);
    const lost: string[] = [];
    for (const out of outcomes) {
      const row = decisions[out.i] as Extract<Decision, { kind: 'accept' }>;
      if (!out.token_ok) results[out.i] = { status: 409, error: tokenUsed() };
      else if (out.id !== null && out.created_at !== null)
        results[out.i] = {
          status: 201,
          body: presentEvaluation({ ...row.row, id: out.id, created_at: out.created_at }),
        };
      else lost.push(row.row.case_no);
    }
    if (lost.length) await answerLost(db, requests, accepted, lost, results);
    if (revisits) await followRevisits(db, accepted, results, { ...o.tickets, now: o.now });
  }

  // Duplicates within the batch take the answer of the request they repeat.
  decisions.forEach((d, i) => {
    if (d.kind !== 'duplicate') return;
    const first = results[d.of]!;
    results[i] =
      d.sameKey || !('body' in first) ? first : { status: 409, error: alreadyRated(first.body.id) };
  });
  return results as RatingResult[];
}

/**
 * Another batch rated these cases between our read and our write. The conflicting insert waited for
 * it to commit, so its rating is visible now: answer 409 naming it, or, when the request is a retry
 * that raced its own original (same Idempotency-Key, sent while the first attempt was still being
 * written), the original's answer, as a replay would have.
 */
async function answerLost(
  db: Executor,
  requests: RatingRequest[],
  accepted: { i: number; d: Decision }[],
  lost: string[],
  results: (RatingResult | null)[],
) {
  const state = await readState(db, {
    caseNos: lost,
    tokenHashes: [],
    keys: accepted.flatMap(({ i }) =>
      results[i] === null && requests[i]!.idempotency ? [requests[i]!.idempotency!] : [],
    ),
    topDevices: [],
    topAccounts: [],
    topIps: [],
    since: new Date(),
    revisitCaseNos: [],
  });
  for (const { i, d } of accepted) {
    if (results[i] !== null || d.kind !== 'accept') continue;
    const k = requests[i]!.idempotency;
    const first = k && state.replays.find((r) => r.scope === k.scope && r.key === k.key);
    if (first) {
      results[i] =
        first.request_hash === k.requestHash
          ? { status: 201, body: answerOf(first) as never }
          : { status: 422, error: keyReused() };
      continue;
    }
    const winner = state.cases.find((c) => c.case_no === d.row.case_no && c.rating_round === d.row.round);
    results[i] = { status: 409, error: alreadyRated(winner?.rating_id ?? 'unknown') };
  }
}

function replayOf(d: Extract<Decision, { kind: 'replay' }>): RatingResult {
  // Only 201 answers are stored for replay (the write above), so the stored status is 201.
  return { status: d.status as 201, body: d.body as never };
}

/**
 * The closed loop ends here, in the re-rating's transaction: a round-2 rating answers the ticket's
 * revisit, closing it (good) or reopening it for a second rectification (bad). A re-rating whose
 * ticket left the revisit meanwhile (the sweep closed it) is still kept as a rating.
 */
async function followRevisits(
  trx: Executor,
  accepted: { i: number; d: Decision }[],
  results: (RatingResult | null)[],
  ctx: TransitionContext,
) {
  for (const { i, d } of accepted) {
    const res = results[i];
    if (d.kind !== 'accept' || d.row.round !== 2 || !res || !('body' in res)) continue;
    const ticket = await trx
      .selectFrom('tickets')
      .selectAll()
      .where('case_no', '=', d.row.case_no)
      .where('state', '=', 'revisiting')
      .forUpdate()
      .executeTakeFirst();
    if (!ticket) continue;
    await applyTicketAction(
      trx,
      ticket,
      'applicant',
      { kind: 'applicant', id: d.row.actor_id, role: null },
      {
        action: d.row.level >= 3 ? 'revisit_good' : 'revisit_bad',
        level: d.row.level,
        evaluationId: res.body.id,
      },
      ctx,
    );
  }
}
