import { anyOf, type Executor, inTransaction } from '@hcp/db';
import type { BurstRule, RatingCatalogData } from '@hcp/domain';
import { sql } from 'kysely';
import { openTickets } from '../tickets/open-tickets';
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

export interface WriteOptions {
  now: Date;
  windowDays: number;
  catalog: RatingCatalogData;
  burst: BurstRule;
  /** What opening a ticket (bad round 1) and closing the revisit (round 2) need. */
  tickets: Omit<TransitionContext, 'now'>;
}

const uniq = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];

/** Reads everything the batch's decisions depend on, a fixed number of queries whatever its size. */
async function loadState(trx: Executor, requests: RatingRequest[], o: WriteOptions): Promise<RatingState> {
  const caseNos = uniq(requests.map((r) => r.input.caseNo));
  const keyed = requests.filter((r) => r.idempotency);
  const tokens = uniq(requests.filter((r) => r.actor.kind === 'token').map((r) => r.actor.id));
  const tops = requests.filter((r) => r.input.level === 5);
  const since = new Date(o.now.getTime() - o.burst.windowMinutes * 60_000);
  // The recent five-star counts per device, account and IP, in one statement.
  const topParts = (
    [
      ['device_id', uniq(tops.map((r) => r.input.deviceId))],
      ['account', uniq(tops.map((r) => r.input.account))],
      ['ip', uniq(tops.map((r) => r.ip))],
    ] as const
  ).filter(([, values]) => values.length > 0);
  const topQuery = topParts.length
    ? sql<{ col: string; k: string; n: number }>`${sql.join(
        topParts.map(
          ([column, values]) =>
            sql`(SELECT ${column} AS col, ${sql.ref(column)} AS k, count(*)::int AS n FROM evaluations
                 WHERE ${sql.ref(column)} = ANY(${values}::text[]) AND level = 5 AND created_at > ${since}
                 GROUP BY ${sql.ref(column)})`,
        ),
        sql` UNION ALL `,
      )}`
        .execute(trx)
        .then((r) => r.rows)
    : Promise.resolve([]);
  const revisits = uniq(requests.filter((r) => r.input.round === 2).map((r) => r.input.caseNo));
  // Node's pg runs one statement at a time per connection, so every statement saved is a round trip.
  const [cases, tokenRows, replays, topRows, tickets] = await Promise.all([
    trx
      .selectFrom('cases as c')
      .leftJoin('evaluations as e', 'e.case_no', 'c.case_no')
      .select([
        'c.case_no',
        'c.item_code',
        'c.unit_code',
        'c.unit_path',
        'c.window_no',
        'c.staff_no',
        'c.applicant_cert_hash',
        'c.accepted_at',
        'c.completed_at',
        'e.id as rating_id',
        'e.round as rating_round',
        'e.level as rating_level',
      ])
      .where(anyOf('c.case_no', caseNos))
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
    topQuery,
    revisits.length
      ? trx.selectFrom('tickets').select(['case_no', 'state']).where(anyOf('case_no', revisits)).execute()
      : Promise.resolve([]),
  ]);
  const topOf = (col: string) => new Map(topRows.filter((r) => r.col === col).map((r) => [r.k, Number(r.n)]));
  const rated = cases.flatMap((c) =>
    c.rating_id === null
      ? []
      : [{ case_no: c.case_no, round: c.rating_round!, id: c.rating_id, level: c.rating_level! }],
  );
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
    recentTop: { device: topOf('device_id'), account: topOf('account'), ip: topOf('ip') },
    ticketStates: new Map(tickets.map((t) => [t.case_no, t.state])),
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
    if (accepted.length) {
      const stored = await insertAccepted(trx, accepted, results);
      await followTickets(trx, stored, { ...o.tickets, now: o.now });
    }
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
): Promise<{ id: string; row: AcceptedRow }[]> {
  // One statement: insert, and record first ratings on their cases (rated_at) in a CTE.
  const inserted = await trx
    .with('ins', (db) =>
      db
        .insertInto('evaluations')
        .values(
          accepted.map(({ row }) => ({
            ...row,
            indicators: JSON.stringify(row.indicators),
            // Text waits for the publisher (redaction, moderation); a rating without text is public at once.
            publication: row.comment ? ('pending' as const) : ('published' as const),
          })),
        )
        .onConflict((oc) => oc.columns(['case_no', 'round']).doNothing())
        .returning(['id', 'case_no', 'round', 'created_at']),
    )
    .with('first_ratings', (db) =>
      db
        .updateTable('cases')
        .set({ rated_at: sql`now()` })
        .where('rated_at', 'is', null)
        .where('case_no', 'in', (eb) => eb.selectFrom('ins').select('ins.case_no').where('ins.round', '=', 1))
        .returning('cases.case_no'),
    )
    .selectFrom('ins')
    .selectAll()
    .execute();
  const bySlot = new Map(inserted.map((r) => [`${r.case_no}:${r.round}`, r]));
  const stored: { id: string; row: AcceptedRow }[] = [];
  const lost: string[] = [];
  for (const { i, row } of accepted) {
    const got = bySlot.get(`${row.case_no}:${row.round}`);
    if (got) {
      results[i] = {
        status: 201,
        body: presentEvaluation({ ...row, id: String(got.id), created_at: got.created_at }),
      };
      stored.push({ id: String(got.id), row });
    } else lost.push(row.case_no);
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
  return stored;
}

/**
 * The closed loop starts and ends here, in the rating's transaction: a bad first rating opens its
 * ticket; a re-rating (round 2) answers the ticket's revisit, closing it (good) or reopening it for
 * a second rectification (bad). A re-rating whose ticket left the revisit meanwhile (the sweep
 * closed it) is still kept as a rating.
 */
async function followTickets(
  trx: Executor,
  stored: { id: string; row: AcceptedRow }[],
  ctx: TransitionContext,
) {
  const bad = stored.filter(({ row }) => row.round === 1 && row.level <= 2);
  await openTickets(
    trx,
    bad.map(({ id, row }) => ({
      evaluationId: id,
      caseNo: row.case_no,
      unitCode: row.unit_code,
      unitPath: row.unit_path,
      itemCode: row.item_code,
      windowNo: row.window_no,
      staffNo: row.staff_no,
      level: row.level,
    })),
    ctx.policy,
    ctx.now,
  );
  for (const { id, row } of stored.filter((s) => s.row.round === 2)) {
    const ticket = await trx
      .selectFrom('tickets')
      .selectAll()
      .where('case_no', '=', row.case_no)
      .where('state', '=', 'revisiting')
      .forUpdate()
      .executeTakeFirst();
    if (!ticket) continue;
    await applyTicketAction(
      trx,
      ticket,
      'applicant',
      { kind: 'applicant', id: row.actor_id, role: null },
      { action: row.level >= 3 ? 'revisit_good' : 'revisit_bad', level: row.level, evaluationId: id },
      ctx,
    );
  }
}
