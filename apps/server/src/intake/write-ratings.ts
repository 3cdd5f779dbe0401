import { anyOf, type Executor, inTransaction } from '@hcp/db';
import type { BurstRule, RatingCatalogData } from '@hcp/domain';
import { sql } from 'kysely';
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

export interface WriteOptions {
  now: Date;
  windowDays: number;
  catalog: RatingCatalogData;
  burst: BurstRule;
}

const uniq = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];

/** Reads everything the batch's decisions depend on, a fixed number of queries whatever its size. */
async function loadState(trx: Executor, requests: RatingRequest[], o: WriteOptions): Promise<RatingState> {
  const caseNos = uniq(requests.map((r) => r.input.caseNo));
  const keyed = requests.filter((r) => r.idempotency);
  const tokens = uniq(requests.filter((r) => r.actor.kind === 'token').map((r) => r.actor.id));
  const tops = requests.filter((r) => r.input.level === 5);
  const since = new Date(o.now.getTime() - o.burst.windowMinutes * 60_000);
  const topCounts = async (column: 'device_id' | 'account' | 'ip', values: string[]) => {
    if (values.length === 0) return new Map<string, number>();
    const rows = await trx
      .selectFrom('evaluations')
      .select([sql<string>`${sql.ref(column)}`.as('k'), (eb) => eb.fn.countAll<number>().as('n')])
      .where(anyOf(column, values))
      .where('level', '=', 5)
      .where('created_at', '>', since)
      .groupBy(column)
      .execute();
    return new Map(rows.map((r) => [r.k, Number(r.n)]));
  };
  const [cases, rated, tokenRows, replays, device, account, ip] = await Promise.all([
    trx
      .selectFrom('cases')
      .select([
        'case_no',
        'item_code',
        'unit_code',
        'unit_path',
        'window_no',
        'staff_no',
        'applicant_cert_hash',
        'accepted_at',
        'completed_at',
      ])
      .where(anyOf('case_no', caseNos))
      .execute(),
    trx
      .selectFrom('evaluations')
      .select(['id', 'case_no', 'round', 'level'])
      .where(anyOf('case_no', caseNos))
      .execute(),
    tokens.length
      ? trx.selectFrom('rating_tokens').selectAll().where(anyOf('token_hash', tokens)).execute()
      : Promise.resolve([]),
    keyed.length
      ? trx
          .selectFrom('idempotency_keys')
          .selectAll()
          .where(
            sql<boolean>`(scope, key) IN (SELECT * FROM unnest(${keyed.map((r) => r.idempotency!.scope)}::text[], ${keyed.map((r) => r.idempotency!.key)}::text[]))`,
          )
          .execute()
      : Promise.resolve([]),
    topCounts('device_id', uniq(tops.map((r) => r.input.deviceId))),
    topCounts('account', uniq(tops.map((r) => r.input.account))),
    topCounts('ip', uniq(tops.map((r) => r.ip))),
  ]);
  return {
    now: o.now,
    windowDays: o.windowDays,
    catalog: o.catalog,
    burst: o.burst,
    cases: new Map(
      cases.map((c) => [
        c.case_no,
        {
          caseNo: c.case_no,
          itemCode: c.item_code,
          unitCode: c.unit_code,
          unitPath: c.unit_path,
          windowNo: c.window_no,
          staffNo: c.staff_no,
          applicantHash: c.applicant_cert_hash,
          acceptedAt: c.accepted_at,
          completedAt: c.completed_at,
        },
      ]),
    ),
    rated: new Map(rated.map((e) => [`${e.case_no}:${e.round}`, { id: String(e.id), level: e.level }])),
    tokens: new Map(
      tokenRows.map((t) => [
        t.token_hash,
        { caseNo: t.case_no, round: t.round, expiresAt: t.expires_at, usedAt: t.used_at },
      ]),
    ),
    replays: new Map(
      replays.map((k) => [
        `${k.scope}\n${k.key}`,
        { requestHash: k.request_hash, statusCode: k.status_code, response: k.response },
      ]),
    ),
    recentTop: { device, account, ip },
  };
}

/**
 * Writes one batch of ratings in a single transaction: decides each request, marks tokens used,
 * inserts the accepted ratings (the database's UNIQUE (case_no, round) settles races with other
 * transactions), records first ratings on their cases and stores idempotent answers. The results,
 * in request order, hold only after the transaction commits, which is when this returns.
 */
export async function writeRatings(
  db: Executor,
  requests: RatingRequest[],
  o: WriteOptions,
): Promise<RatingResult[]> {
  return inTransaction(db, async (trx) => {
    const decisions = decideRatings(requests, await loadState(trx, requests, o));
    const results: (RatingResult | null)[] = decisions.map((d) =>
      d.kind === 'reject' ? { status: d.status, error: d.error } : d.kind === 'replay' ? replayOf(d) : null,
    );

    // Tokens are single-use: a token another transaction used meanwhile loses its request.
    const tokenHashes = decisions.flatMap((d) => (d.kind === 'accept' && d.tokenHash ? [d.tokenHash] : []));
    if (tokenHashes.length) {
      const used = await trx
        .updateTable('rating_tokens')
        .set({ used_at: o.now })
        .where(anyOf('token_hash', tokenHashes))
        .where('used_at', 'is', null)
        .returning('token_hash')
        .execute();
      const won = new Set(used.map((u) => u.token_hash));
      decisions.forEach((d, i) => {
        if (d.kind === 'accept' && d.tokenHash && !won.has(d.tokenHash)) {
          decisions[i] = { kind: 'reject', status: 409, error: tokenUsed() };
          results[i] = { status: 409, error: tokenUsed() };
        }
      });
    }

    const accepted = decisions.flatMap((d, i) => (d.kind === 'accept' ? [{ i, row: d.row }] : []));
    if (accepted.length) await insertAccepted(trx, accepted, results);
    await answerRacedRetries(trx, requests, accepted, results);

    // Duplicates within the batch take the answer of the request they repeat.
    decisions.forEach((d, i) => {
      if (d.kind !== 'duplicate') return;
      const first = results[d.of]!;
      results[i] =
        d.sameKey || !('body' in first) ? first : { status: 409, error: alreadyRated(first.body.id) };
    });

    const stored = requests.flatMap((r, i) => {
      const res = results[i]!;
      return r.idempotency && decisions[i]!.kind === 'accept' && 'body' in res
        ? [{ ...r.idempotency, status: res.status, body: res.body }]
        : [];
    });
    if (stored.length) {
      await trx
        .insertInto('idempotency_keys')
        .values(
          stored.map((s) => ({
            scope: s.scope,
            key: s.key,
            request_hash: s.requestHash,
            status_code: s.status,
            response: JSON.stringify(s.body),
          })),
        )
        .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
        .execute();
    }
    return results as RatingResult[];
  });
}

/**
 * A retry that raced its own original (sent while the first attempt was still being written, in
 * another transaction) lost the insert and got 409; its first answer is committed by now (the
 * conflicting insert waited for it), so answer with that, as a replay would have.
 */
async function answerRacedRetries(
  trx: Executor,
  requests: RatingRequest[],
  accepted: { i: number }[],
  results: (RatingResult | null)[],
) {
  const raced = accepted.filter(({ i }) => results[i]?.status === 409 && requests[i]!.idempotency);
  if (raced.length === 0) return;
  const keys = raced.map(({ i }) => requests[i]!.idempotency!);
  const stored = await trx
    .selectFrom('idempotency_keys')
    .selectAll()
    .where(
      sql<boolean>`(scope, key) IN (SELECT * FROM unnest(${keys.map((k) => k.scope)}::text[], ${keys.map((k) => k.key)}::text[]))`,
    )
    .execute();
  for (const { i } of raced) {
    const k = requests[i]!.idempotency!;
    const first = stored.find((r) => r.scope === k.scope && r.key === k.key);
    if (!first) continue;
    results[i] =
      first.request_hash === k.requestHash
        ? { status: 201, body: first.response as never }
        : { status: 422, error: keyReused() };
  }
}

function replayOf(d: Extract<Decision, { kind: 'replay' }>): RatingResult {
  // Only 201 answers are stored for replay (write below), so the stored status is 201.
  return { status: d.status as 201, body: d.body as never };
}

async function insertAccepted(
  trx: Executor,
  accepted: { i: number; row: AcceptedRow }[],
  results: (RatingResult | null)[],
) {
  const inserted = await trx
    .insertInto('evaluations')
    .values(accepted.map(({ row }) => ({ ...row, indicators: JSON.stringify(row.indicators) })))
    .onConflict((oc) => oc.columns(['case_no', 'round']).doNothing())
    .returning(['id', 'case_no', 'round', 'created_at'])
    .execute();
  const bySlot = new Map(inserted.map((r) => [`${r.case_no}:${r.round}`, r]));
  const lost: string[] = [];
  for (const { i, row } of accepted) {
    const got = bySlot.get(`${row.case_no}:${row.round}`);
    if (got)
      results[i] = {
        status: 201,
        body: presentEvaluation({ ...row, id: String(got.id), created_at: got.created_at }),
      };
    else lost.push(row.case_no);
  }
  if (lost.length) {
    // Another transaction rated these cases between our read and our insert: answer with its rating.
    const winners = await trx
      .selectFrom('evaluations')
      .select(['id', 'case_no', 'round'])
      .where(anyOf('case_no', lost))
      .execute();
    for (const { i, row } of accepted) {
      if (results[i]) continue;
      const w = winners.find((x) => x.case_no === row.case_no && x.round === row.round);
      results[i] = { status: 409, error: alreadyRated(String(w?.id ?? 'unknown')) };
    }
  }
  const firstRound = uniq(
    accepted
      .filter(({ i, row }) => row.round === 1 && results[i]?.status === 201)
      .map(({ row }) => row.case_no),
  );
  if (firstRound.length) {
    await trx
      .updateTable('cases')
      .set({ rated_at: sql`now()` })
      .where(anyOf('case_no', firstRound))
      .where('rated_at', 'is', null)
      .execute();
  }
}
