import { type DB, type Executor, preparedStatement } from '@hcp/db';
import type { Selectable } from 'kysely';
import type { AcceptedRow } from './decide-ratings';

/*
 * The two statements a batch of ratings costs: one read of everything the decisions depend on, and
 * one write of everything they produce. Each is a fixed SQL text with array or JSON parameters, so
 * a batch of any size is two round trips and nothing is compiled per batch; the write is a single
 * statement, hence atomic without BEGIN/COMMIT (docs/architecture.md, "Flow of one rating").
 */

const STATE_SQL = `
SELECT
  (SELECT coalesce(json_agg(x), '[]') FROM (
     SELECT c.case_no, c.item_code, c.unit_code, c.unit_path, c.window_no, c.staff_no,
            c.applicant_cert_hash, c.accepted_at, c.completed_at,
            e.id::text AS rating_id, e.round AS rating_round, e.level AS rating_level
     FROM cases c LEFT JOIN evaluations e ON e.case_no = c.case_no
     WHERE c.case_no = ANY($1::text[])) x) AS cases,
  (SELECT coalesce(json_agg(x), '[]') FROM (
     SELECT token_hash, case_no, round, expires_at, used_at FROM rating_tokens
     WHERE token_hash = ANY($2::text[])) x) AS tokens,
  (SELECT coalesce(json_agg(x), '[]') FROM (
     SELECT k.scope, k.key, k.request_hash, k.status_code, k.response,
            CASE WHEN e.id IS NULL THEN NULL ELSE json_build_object(
              'id', e.id::text, 'case_no', e.case_no, 'round', e.round, 'level', e.level,
              'is_default', e.is_default, 'channel', e.channel, 'catalog_version', e.catalog_version,
              'indicators', e.indicators, 'reasons', e.reasons, 'comment', e.comment,
              'item_code', e.item_code, 'unit_code', e.unit_code, 'window_no', e.window_no,
              'staff_no', e.staff_no, 'flags', e.flags, 'created_at', e.created_at) END AS evaluation
     FROM idempotency_keys k LEFT JOIN evaluations e ON e.id = k.evaluation_id
     WHERE (k.scope, k.key) IN (SELECT * FROM unnest($3::text[], $4::text[]))) x) AS replays,
  (SELECT coalesce(json_agg(x), '[]') FROM (
     SELECT 'device' AS col, device_id AS k, count(*)::int AS n FROM evaluations
     WHERE device_id = ANY($5::text[]) AND level = 5 AND created_at > $8 GROUP BY device_id
     UNION ALL
     SELECT 'account', account, count(*)::int FROM evaluations
     WHERE account = ANY($6::text[]) AND level = 5 AND created_at > $8 GROUP BY account
     UNION ALL
     SELECT 'ip', ip, count(*)::int FROM evaluations
     WHERE ip = ANY($7::text[]) AND level = 5 AND created_at > $8 GROUP BY ip) x) AS top,
  (SELECT coalesce(json_agg(x), '[]') FROM (
     SELECT case_no, state FROM tickets WHERE case_no = ANY($9::text[])) x) AS tickets`;

/** A stored rating as the state read returns it (JSON: ids as text, times as ISO strings). */
export interface StoredEvaluationJson {
  id: string;
  case_no: string;
  round: number;
  level: number;
  is_default: boolean;
  channel: string;
  catalog_version: string;
  indicators: Record<string, number>;
  reasons: string[];
  comment: string | null;
  item_code: string;
  unit_code: string;
  window_no: string | null;
  staff_no: string | null;
  flags: string[];
  created_at: string;
}

export interface StateRows {
  /** Each case with its rating, if any (one row per stored rating); times as ISO strings. */
  cases: (Pick<
    Selectable<DB['cases']>,
    'case_no' | 'item_code' | 'unit_code' | 'unit_path' | 'window_no' | 'staff_no' | 'applicant_cert_hash'
  > & {
    accepted_at: string;
    completed_at: string | null;
    rating_id: string | null;
    rating_round: number | null;
    rating_level: number | null;
  })[];
  tokens: {
    token_hash: string;
    case_no: string;
    round: number;
    expires_at: string;
    used_at: string | null;
  }[];
  replays: {
    scope: string;
    key: string;
    request_hash: string;
    status_code: number;
    response: unknown;
    evaluation: StoredEvaluationJson | null;
  }[];
  top: { col: 'device' | 'account' | 'ip'; k: string; n: number }[];
  tickets: { case_no: string; state: string }[];
}

export interface StateQuery {
  caseNos: string[];
  tokenHashes: string[];
  keys: { scope: string; key: string }[];
  /** Devices, accounts and IPs of the batch's five-star ratings, and the start of the burst window. */
  topDevices: string[];
  topAccounts: string[];
  topIps: string[];
  since: Date;
  /** Cases of round-2 requests, whose tickets' states decide them. */
  revisitCaseNos: string[];
}

const stateStatement = preparedStatement<{ [K in keyof StateRows]: StateRows[K] | string }>(
  'hcp_rating_state',
  STATE_SQL,
);

/** Runs the state read: one statement, one row of JSON arrays. */
export async function readState(db: Executor, q: StateQuery): Promise<StateRows> {
  const { rows } = await stateStatement(db, [
    q.caseNos,
    q.tokenHashes,
    q.keys.map((k) => k.scope),
    q.keys.map((k) => k.key),
    q.topDevices,
    q.topAccounts,
    q.topIps,
    q.since,
    q.revisitCaseNos,
  ]);
  const row = rows[0]!;
  // `pg` parses json columns; PGlite does too, but either may hand back text for json: accept both.
  const parse = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  return {
    cases: parse(row.cases),
    tokens: parse(row.tokens),
    replays: parse(row.replays),
    top: parse(row.top),
    tickets: parse(row.tickets),
  };
}

const WRITE_SQL = `
WITH input AS MATERIALIZED (
  SELECT * FROM json_to_recordset($1::json) AS i(
    i int, case_no text, round smallint, level smallint, channel text, catalog_version text,
    indicators jsonb, reasons text[], comment text, applicant_hash text, item_code varchar(36),
    unit_code text, unit_path text, window_no text, staff_no text, actor_kind text, actor_id text,
    account text, device_id text, ip text, flags text[], token_hash text,
    idem_scope text, idem_key text, idem_hash text,
    contact_due timestamptz, reply_due timestamptz, rectify_due timestamptz, appeal_due timestamptz)
),
used AS (
  UPDATE rating_tokens SET used_at = $2
  WHERE token_hash IN (SELECT token_hash FROM input WHERE token_hash IS NOT NULL) AND used_at IS NULL
  RETURNING token_hash
),
ins AS (
  INSERT INTO evaluations (case_no, round, level, channel, catalog_version, indicators, reasons, comment,
    applicant_hash, item_code, unit_code, unit_path, window_no, staff_no, actor_kind, actor_id, account,
    device_id, ip, flags, publication)
  SELECT case_no, round, level, channel, catalog_version, indicators, reasons, comment,
    applicant_hash, item_code, unit_code, unit_path, window_no, staff_no, actor_kind, actor_id, account,
    device_id, ip, flags, CASE WHEN comment IS NULL THEN 'published' ELSE 'pending' END
  FROM input
  WHERE token_hash IS NULL OR token_hash IN (SELECT token_hash FROM used)
  ORDER BY i
  ON CONFLICT (case_no, round) DO NOTHING
  RETURNING id, case_no, round, created_at
),
t AS (
  INSERT INTO tickets (evaluation_id, case_no, unit_code, unit_path, item_code, window_no, staff_no,
    state, opened_at, contact_due, reply_due, rectify_due, appeal_due, due_at)
  SELECT ins.id, i.case_no, i.unit_code, i.unit_path, i.item_code, i.window_no, i.staff_no,
    'pending_contact', $2, i.contact_due, i.reply_due, i.rectify_due, i.appeal_due, i.contact_due
  FROM ins JOIN input i ON i.case_no = ins.case_no AND i.round = ins.round
  WHERE i.contact_due IS NOT NULL
  ON CONFLICT (evaluation_id) DO NOTHING
  RETURNING id, evaluation_id, case_no, unit_code, unit_path, due_at
),
ev AS (
  INSERT INTO ticket_events (ticket_id, at, action, to_state, actor_kind, actor_id, payload)
  SELECT id, $2, 'opened', 'pending_contact', 'system', 'intake',
    jsonb_build_object('evaluationId', evaluation_id::text)
  FROM t
),
ob AS (
  INSERT INTO outbox (topic, payload)
  SELECT 'ticket.opened', jsonb_build_object('ticketId', id::text, 'evaluationId', evaluation_id::text,
    'caseNo', case_no, 'unitCode', unit_code, 'unitPath', unit_path, 'state', 'pending_contact',
    'dueAt', due_at)
  FROM t
),
idem AS (
  INSERT INTO idempotency_keys (scope, key, request_hash, status_code, evaluation_id)
  SELECT i.idem_scope, i.idem_key, i.idem_hash, 201, ins.id
  FROM ins JOIN input i ON i.case_no = ins.case_no AND i.round = ins.round
  WHERE i.idem_key IS NOT NULL
  ON CONFLICT (scope, key) DO NOTHING
)
SELECT i.i, ins.id::text AS id, ins.created_at,
  (i.token_hash IS NULL OR i.token_hash IN (SELECT token_hash FROM used)) AS token_ok
FROM input i LEFT JOIN ins ON ins.case_no = i.case_no AND ins.round = i.round`;

const writeStatement = preparedStatement<WriteOutcome & { created_at: Date | string | null }>(
  'hcp_rating_write',
  WRITE_SQL,
);

/** One accepted rating as the write statement takes it (`i` is its index in the batch). */
export type WriteRow = AcceptedRow & {
  i: number;
  token_hash: string | null;
  idem_scope: string | null;
  idem_key: string | null;
  idem_hash: string | null;
  /** The ticket's deadlines, present exactly when the rating opens one (bad, round 1). */
  contact_due: Date | null;
  reply_due: Date | null;
  rectify_due: Date | null;
  appeal_due: Date | null;
};

export interface WriteOutcome {
  i: number;
  /** The new rating's id; null when another transaction rated the case and round first or the token was lost. */
  id: string | null;
  created_at: Date | null;
  /** False when another transaction used the request's single-use token first. */
  token_ok: boolean;
}

/**
 * Runs the write: marks tokens used, inserts the ratings whose tokens it won (UNIQUE (case_no,
 * round) settles races with other batches), opens a ticket per bad first rating with its `opened`
 * event and outbox news, and keeps the idempotency keys. `now` is the tokens' use time and the
 * tickets' opening time.
 */
export async function writeAccepted(db: Executor, rows: WriteRow[], now: Date): Promise<WriteOutcome[]> {
  const { rows: out } = await writeStatement(db, [JSON.stringify(rows), now]);
  return out.map((r) => ({
    ...r,
    created_at: r.created_at === null ? null : new Date(r.created_at),
  }));
}
