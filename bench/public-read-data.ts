// Generated rating history for bench/public-read: cases, round-1 ratings and bad-rating tickets over
// the demo catalogue, written by INSERT … SELECT in SQL (the fast way on a 2-core machine).
// Distribution: two years of history that grows towards today (ids in time order, as intake issues
// them); busy counters and popular items (squared and cubed uniform draws over the catalogue); about
// 8 % default ratings; of the others 82 % 5★, 10 % 4★, 4.5 % 3★, 2 % 2★, 1.5 % 1★; channels
// weighted (app, WeChat, PC and window pads first); 2 % of good and half of bad ratings with a
// published comment (comment_public, comment_grams); a ticket for every bad rating, closed if older
// than 20 days (satisfied, revisit expired, appeal upheld or rejected), else at an open step.
import pg from 'pg';
import { textGrams } from '../apps/server/src/disclosure/grams';

const GOOD = [
  '办事很快，工作人员很耐心',
  '一次办好，不用跑第二趟',
  '窗口服务态度好，指引清楚',
  '网上申请很方便，材料一次说清',
  '效率高，点赞',
];
const BAD = [
  '排队太久，窗口只开了一个',
  '材料要求和办事指南不一致',
  '工作人员态度冷淡，推诿',
  '承诺时限已过还没办好',
  '让我跑了好几个部门',
  '系统总是出错，无法提交',
];

const CASE_CHUNK = 1_000_000;

/** Phrases as a VALUES list: (k, good?, text, grams). */
function phrases(): string {
  const rows = [...GOOD.map((t) => [true, t] as const), ...BAD.map((t) => [false, t] as const)];
  return rows
    .map(([good, text], k) => {
      const grams = textGrams(text)
        .map((g) => `'${g}'`)
        .join(',');
      return `(${k}, ${good}, '${text}', ARRAY[${grams}]::text[])`;
    })
    .join(',\n');
}

/** Cases g in [from, to]; `at(g)` spreads them over two years, or puts them an hour back (`recent`). */
function casesSql(from: number, to: number, total: number, recent: boolean): string {
  const at = recent
    ? `now() - interval '1 hour' + (g - ${from}) * interval '1 millisecond'`
    : `now() - interval '1 hour' - interval '730 days' * (1 - sqrt(g::float8 / ${total}))`;
  return `
    WITH it AS (SELECT row_number() OVER (ORDER BY code)::int AS i, code FROM items),
         counter AS (
           SELECT row_number() OVER (ORDER BY s.staff_no)::int AS i, s.staff_no, s.window_no, w.unit_code, u.path
           FROM staff s JOIN windows w ON w.no = s.window_no JOIN units u ON u.code = w.unit_code),
         draw AS (
           SELECT g, ${at} AS at,
                  1 + floor(power(random(), 2) * (SELECT count(*) FROM counter))::int AS si,
                  1 + floor(power(random(), 3) * (SELECT count(*) FROM it))::int AS ii
           FROM generate_series(${from}, ${to}) AS g)
    INSERT INTO cases (case_no, item_code, unit_code, unit_path, window_no, staff_no, applicant_kind,
      applicant_cert_type, applicant_cert_hash, applicant_name, applicant_name_enc, applicant_name_hash,
      promise_type, status, accepted_at, completed_at, window_settled_at, source)
    SELECT 'B' || lpad(d.g::text, 9, '0'), it.code, counter.unit_code, counter.path, counter.window_no,
           counter.staff_no, 'person', '111', 'cert' || d.g,
           (ARRAY['张*', '王*', '李*', '赵*', '陈*', '刘*'])[1 + d.g % 6], 'bench', 'name' || d.g,
           'immediate', 'completed', d.at - interval '1 hour', d.at - interval '10 minutes', d.at, 'bench'
    FROM draw d JOIN it ON it.i = d.ii JOIN counter ON counter.i = d.si
    ORDER BY d.g`;
}

/** One round-1 rating per case of [from, to], in case order (so ids follow time). */
function ratingsSql(from: number, to: number): string {
  const lo = `'B${String(from).padStart(9, '0')}'`;
  const hi = `'B${String(to).padStart(9, '0')}'`;
  return `
    WITH p(k, good, text, grams) AS (VALUES ${phrases()}),
         reason AS (SELECT array_agg(code ORDER BY sort) AS codes FROM rating_reasons WHERE version = '2021.1'),
         c AS (
           SELECT c.*, random() AS r1, random() AS r2, random() AS r3, random() AS r4
           FROM cases c WHERE c.case_no BETWEEN ${lo} AND ${hi}),
         r AS (
           SELECT c.*, c.r1 < 0.08 AS dflt,
                  CASE WHEN c.r1 < 0.08 THEN 3 WHEN c.r2 < 0.82 THEN 5 WHEN c.r2 < 0.92 THEN 4
                       WHEN c.r2 < 0.965 THEN 3 WHEN c.r2 < 0.985 THEN 2 ELSE 1 END AS level
           FROM c)
    INSERT INTO evaluations (case_no, round, level, is_default, channel, catalog_version, reasons, comment,
      applicant_hash, item_code, unit_code, unit_path, window_no, staff_no, actor_kind, actor_id, created_at,
      publication, comment_public, comment_grams)
    SELECT r.case_no, 1, r.level, r.dflt,
           CASE WHEN r.dflt THEN 'default' WHEN r.r3 < 0.35 THEN 'app' WHEN r.r3 < 0.5 THEN 'wechat'
                WHEN r.r3 < 0.58 THEN 'alipay' WHEN r.r3 < 0.73 THEN 'pc' WHEN r.r3 < 0.88 THEN 'window_pad'
                WHEN r.r3 < 0.93 THEN 'qrcode' WHEN r.r3 < 0.96 THEN 'kiosk' WHEN r.r3 < 0.98 THEN 'sms'
                ELSE 'hotline' END,
           '2021.1',
           CASE WHEN r.level <= 2 THEN ARRAY[reason.codes[1 + (r.r4 * 1000)::int % cardinality(reason.codes)]]
                ELSE '{}'::text[] END,
           p.text, r.applicant_cert_hash, r.item_code, r.unit_code, r.unit_path, r.window_no, r.staff_no,
           CASE WHEN r.dflt THEN 'sweep' ELSE 'system' END, 'bench', r.window_settled_at, 'published', p.text, p.grams
    FROM r CROSS JOIN reason
    LEFT JOIN p ON NOT r.dflt AND p.good = (r.level >= 3)
      AND ((r.level >= 3 AND r.r4 < 0.02) OR (r.level <= 2 AND r.r4 < 0.5))
      AND p.k = CASE WHEN r.level >= 3 THEN (r.r2 * 1000)::int % ${GOOD.length}
                     ELSE ${GOOD.length} + (r.r2 * 1000)::int % ${BAD.length} END
    ORDER BY r.case_no`;
}

/** A ticket for every bad rating of the cases in [lo, hi]. */
function ticketsSql(from: number, to: number): string {
  const lo = `'B${String(from).padStart(9, '0')}'`;
  const hi = `'B${String(to).padStart(9, '0')}'`;
  return `
    WITH b AS (
      SELECT e.*, random() AS r, random() AS rr,
             CASE WHEN e.created_at > now() - interval '20 days' THEN
                    (ARRAY['pending_contact', 'pending_reply', 'rectifying', 'revisiting'])[1 + floor(random() * 4)::int]
                  ELSE 'closed' END AS st
      FROM evaluations e
      WHERE e.case_no BETWEEN ${lo} AND ${hi} AND e.round = 1 AND e.level <= 2 AND NOT e.is_default),
    k AS (
      SELECT b.*, CASE WHEN st <> 'closed' THEN st WHEN r < 0.03 THEN 'upheld' WHEN r < 0.05 THEN 'rejected'
                       WHEN r < 0.85 THEN 'satisfied' ELSE 'expired' END AS kind
      FROM b)
    INSERT INTO tickets (evaluation_id, case_no, unit_code, unit_path, item_code, window_no, staff_no, state,
      handling_path, outcome, opened_at, contact_due, reply_due, rectify_due, appeal_due, due_at, contacted_at,
      replied_at, rectified_at, closed_at, reply_text, reply_public, reply_publication, rectify_text,
      rectify_public, rectify_publication, appeal_reason, appeal_text, appeal_outcome, revisit_level)
    SELECT id, case_no, unit_code, unit_path, item_code, window_no, staff_no,
           CASE WHEN kind IN ('upheld', 'rejected', 'satisfied', 'expired') THEN 'closed' ELSE kind END,
           CASE WHEN kind = 'pending_contact' THEN NULL ELSE 'fix_now' END,
           CASE kind WHEN 'upheld' THEN 'appeal_upheld' WHEN 'rejected' THEN 'satisfied'
                     WHEN 'satisfied' THEN 'satisfied' WHEN 'expired' THEN 'revisit_expired' END,
           created_at, created_at + interval '1 day', created_at + interval '7 days',
           created_at + interval '21 days', created_at + interval '4 days',
           CASE WHEN kind IN ('pending_contact', 'pending_reply', 'rectifying', 'revisiting')
                THEN created_at + interval '7 days' END,
           CASE WHEN kind <> 'pending_contact' THEN created_at + interval '5 hours' END,
           CASE WHEN kind NOT IN ('pending_contact', 'pending_reply', 'upheld')
                THEN created_at + rr * interval '9 days' END,
           CASE WHEN kind IN ('rejected', 'satisfied', 'expired', 'revisiting') THEN created_at + interval '12 days' END,
           CASE WHEN kind IN ('upheld', 'rejected', 'satisfied', 'expired') THEN created_at + interval '20 days' END,
           CASE WHEN kind NOT IN ('pending_contact', 'pending_reply', 'upheld') THEN '已联系申请人，正在改进窗口服务。' END,
           CASE WHEN kind NOT IN ('pending_contact', 'pending_reply', 'upheld') THEN '已联系申请人，正在改进窗口服务。' END,
           CASE WHEN kind NOT IN ('pending_contact', 'pending_reply', 'upheld') THEN 'published' END,
           CASE WHEN kind IN ('rejected', 'satisfied', 'expired', 'revisiting') THEN '增设窗口，材料一次告知。' END,
           CASE WHEN kind IN ('rejected', 'satisfied', 'expired', 'revisiting') THEN '增设窗口，材料一次告知。' END,
           CASE WHEN kind IN ('rejected', 'satisfied', 'expired', 'revisiting') THEN 'published' END,
           CASE WHEN kind IN ('upheld', 'rejected') THEN 'malicious' END,
           CASE WHEN kind IN ('upheld', 'rejected') THEN '恶意差评' END,
           CASE kind WHEN 'upheld' THEN 'upheld' WHEN 'rejected' THEN 'rejected' END,
           CASE WHEN kind IN ('satisfied', 'rejected') THEN 4 + floor(rr * 2)::int END
    FROM k ORDER BY id`;
}

export interface Loaded {
  ratings: number;
  bad: number;
  defaults: number;
  comments: number;
  tickets: number;
  ms: number;
}

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET maintenance_work_mem = '1GB'; SET synchronous_commit = off`);
  return client;
}

/**
 * Loads `total` cases and ratings and their tickets. Secondary indexes of cases and evaluations are
 * dropped during the load and built again after it (a bulk load's usual order), and foreign-key
 * triggers are off for cases and ratings, whose references hold by construction. Tickets are inserted
 * with triggers on, so the statistics triggers queue them as in production.
 */
export async function loadHistory(url: string, total: number): Promise<Loaded> {
  const started = performance.now();
  const client = await connect(url);
  try {
    const { rows: indexes } = await client.query<{ name: string; def: string }>(`
      SELECT indexname AS name, indexdef AS def FROM pg_indexes i
      WHERE schemaname = 'public' AND tablename IN ('cases', 'evaluations')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)`);
    for (const ix of indexes) await client.query(`DROP INDEX ${ix.name}`);
    for (let from = 1; from <= total; from += CASE_CHUNK) {
      const to = Math.min(total, from + CASE_CHUNK - 1);
      await client.query('SET session_replication_role = replica');
      await client.query(casesSql(from, to, total, false));
      await client.query(ratingsSql(from, to));
      await client.query('SET session_replication_role = origin');
      await client.query(ticketsSql(from, to));
      process.stdout.write(`\r  ratings ${to.toLocaleString('en')}/${total.toLocaleString('en')}`);
    }
    process.stdout.write(`  (indexes: ${indexes.length} to build)\n`);
    for (const ix of indexes) await client.query(ix.def);
    // As a live database would be after autovacuum: visibility map set (index-only scans) and
    // statistics taken, and no insert-triggered vacuum of ten million rows running during the measurement.
    await client.query('VACUUM ANALYZE cases, evaluations, tickets');
    return { ...(await counts(client)), ms: performance.now() - started };
  } finally {
    await client.end();
  }
}

/** `n` more cases and ratings an hour old (with their tickets), and 1,000 tickets moved on a step. */
export async function loadMore(url: string, total: number, n: number) {
  const client = await connect(url);
  try {
    const from = total + 1;
    await client.query(casesSql(from, total + n, total, true));
    await client.query(ratingsSql(from, total + n));
    const t = await client.query(ticketsSql(from, total + n));
    const moved = await client.query(`
      UPDATE tickets SET rectified_at = now(), state = 'revisiting'
      WHERE id IN (SELECT id FROM tickets WHERE state = 'rectifying' LIMIT 1000)`);
    return { ratings: n, tickets: (t.rowCount ?? 0) + (moved.rowCount ?? 0) };
  } finally {
    await client.end();
  }
}

async function counts(client: pg.Client) {
  const { rows } = await client.query<Omit<Loaded, 'ms'>>(`
    SELECT count(*)::int AS ratings,
           count(*) FILTER (WHERE level <= 2 AND NOT is_default)::int AS bad,
           count(*) FILTER (WHERE is_default)::int AS defaults,
           count(comment_public)::int AS comments,
           (SELECT count(*)::int FROM tickets) AS tickets
    FROM evaluations`);
  return rows[0]!;
}
