import type {
  PublicEvaluation,
  PublicEvaluationDetail,
  PublicEvaluationPage,
  TimelineEntry,
  TimelineKind,
} from '@hcp/contracts';
import { type Executor, executePrepared } from '@hcp/db';
import { maskName, notFound, type TicketState } from '@hcp/domain';
import { type Compilable, CompiledQuery } from 'kysely';
import { catalogNames } from './catalog-names';
import { encodeIdCursor } from './cursor';
import { matchingIds, type ResolvedFilters } from './public-query';

/** A time as JavaScript's toISOString() writes it (UTC, milliseconds cut, not rounded, as `pg` does). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The public columns of ratings whose ids the page query found, and nothing else: the original
 * comment is only tested for presence, and no hash, account, device, IP, actor or flag is read.
 * Plain SQL around the ids query: building this join with Kysely cost more CPU than running it.
 * Item, unit and window names come from `catalogNames`, not from joins.
 */
const ROWS_SQL = `
SELECT e.id, ${iso('e.created_at')} AS created_at, e.round, e.level, e.is_default, e.channel, e.indicators, e.reasons,
  e.comment IS NOT NULL AS has_comment, e.publication, e.comment_public, c.applicant_name,
  e.item_code, e.unit_code, e.unit_path, e.window_no, e.staff_no,
  t.id AS ticket_id, t.state AS ticket_state, ${iso('t.replied_at')} AS replied_at, t.reply_public, t.reply_publication,
  ${iso('t.rectified_at')} AS rectified_at, t.rectify_public, t.rectify_publication, t.revisit_level, t.appeal_outcome,
  t.outcome, ${iso('t.closed_at')} AS closed_at
FROM page
JOIN evaluations e ON e.id = page.id
JOIN cases c ON c.case_no = e.case_no
LEFT JOIN tickets t ON t.evaluation_id = e.id
ORDER BY e.id DESC`;

interface Row {
  id: string;
  /** Times arrive as ISO text: no Date is parsed and formatted again per row. */
  created_at: string;
  round: number;
  level: number;
  is_default: boolean;
  channel: PublicEvaluation['channel'];
  indicators: Record<string, number> | null;
  reasons: string[];
  has_comment: boolean;
  publication: 'pending' | 'published' | 'held';
  comment_public: string | null;
  applicant_name: string;
  item_code: string;
  unit_code: string;
  unit_path: string;
  window_no: string | null;
  staff_no: string | null;
  ticket_id: string | null;
  ticket_state: string | null;
  replied_at: string | null;
  reply_public: string | null;
  reply_publication: string | null;
  rectified_at: string | null;
  rectify_public: string | null;
  rectify_publication: string | null;
  revisit_level: number | null;
  appeal_outcome: NonNullable<PublicEvaluation['ticket']>['appealOutcome'];
  outcome: NonNullable<PublicEvaluation['ticket']>['outcome'];
  closed_at: string | null;
}

/**
 * The page's ratings as the public sees them: the ids query (one text per combination of filters)
 * as the CTE of one prepared statement, then the catalogue names.
 */
async function publicRows(db: Executor, ids: Compilable<{ id: string }>): Promise<PublicEvaluation[]> {
  const inner = ids.compile();
  const rows = await executePrepared(db, {
    compile: () => CompiledQuery.raw(`WITH page AS (${inner.sql})${ROWS_SQL}`, [...inner.parameters]),
  } as Compilable<Row>);
  const name = await catalogNames(
    db,
    rows.flatMap((r) => [
      { kind: 'item' as const, code: r.item_code },
      { kind: 'unit' as const, code: r.unit_code },
      { kind: 'window' as const, code: r.window_no },
    ]),
  );
  return rows.map((r) => present(r, name));
}

/** A stored rating as the public sees it (PublicEvaluation in the contract). */
function present(r: Row, name: (kind: 'item' | 'unit' | 'window', code: string) => string): PublicEvaluation {
  const status = r.has_comment ? r.publication : 'none';
  return {
    id: String(r.id),
    createdAt: r.created_at,
    round: r.round === 2 ? 2 : 1,
    level: r.level,
    class: r.level <= 2 ? 'bad' : 'good',
    isDefault: r.is_default,
    channel: r.channel,
    indicators: r.indicators ?? {},
    reasons: r.reasons,
    comment: status === 'published' ? r.comment_public : null,
    commentStatus: status,
    // Stored masked already; masking again costs nothing and keeps a full name out whatever was stored.
    applicant: maskName(r.applicant_name),
    item: { code: r.item_code, name: name('item', r.item_code) },
    unit: { code: r.unit_code, name: name('unit', r.unit_code), path: r.unit_path },
    window: r.window_no ? { no: r.window_no, name: name('window', r.window_no) } : null,
    staffNo: r.staff_no,
    appealUpheld: r.appeal_outcome === 'upheld',
    ticket:
      r.ticket_id === null
        ? null
        : {
            id: String(r.ticket_id),
            state: r.ticket_state as TicketState,
            replied: r.replied_at !== null,
            reply: r.reply_publication === 'published' ? r.reply_public : null,
            repliedAt: r.replied_at,
            rectification: r.rectify_publication === 'published' ? r.rectify_public : null,
            rectifiedAt: r.rectified_at,
            revisitLevel: r.revisit_level,
            appealOutcome: r.appeal_outcome,
            outcome: r.outcome,
            closedAt: r.closed_at,
          },
  };
}

/**
 * One page of public ratings, newest first; the cursor is the last id of the previous page.
 * Connections run with random_page_cost 1.1 (packages/db/src/connect.ts): at the default 4 the
 * planner prefers walking thousands of rows of a correlated index to a few hundred fetches through
 * the subtree's own index (a district's bad kiosk ratings walk every bad rating).
 */
export async function listPublicEvaluations(
  db: Executor,
  f: ResolvedFilters,
  limit: number,
  cursorId?: string,
): Promise<PublicEvaluationPage> {
  // Prepared: planning this join over the many evaluations indexes took 4 ms, running it 1 ms.
  const rows = await publicRows(db, matchingIds(db, f, limit + 1, cursorId));
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeIdCursor(last.id) : null };
}

/** Ticket actions and the public timeline entries they make; the others (remind) are internal. */
const KINDS_OF: Record<string, TimelineKind[]> = {
  opened: ['ticket_opened'],
  contact: ['contacted'],
  reply: ['replied'],
  sign_off: ['signed_off'],
  rectify: ['rectified'],
  revisit_good: ['re_rated'],
  revisit_bad: ['re_rated', 'reopened'],
  revisit_expire: [],
  appeal: ['appealed'],
  uphold_appeal: ['appeal_upheld'],
  reject_appeal: ['appeal_rejected'],
  escalate: ['escalated'],
};

/**
 * The story of a rating: the rating, then each public step of its ticket (from ticket_events).
 * Reply and rectification entries carry the published text (the latest of each, since a ticket
 * keeps only its current text); contact notes, plans and appeal reasons are internal and never read.
 */
async function timelineOf(db: Executor, e: PublicEvaluation): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [
    { at: e.createdAt, kind: e.round === 2 ? 're_rated' : 'rated', text: null, level: e.level },
  ];
  if (!e.ticket) return entries;
  const events = await db
    .selectFrom('ticket_events')
    .select(['at', 'action', 'from_state', 'to_state'])
    .where('ticket_id', '=', e.ticket.id)
    .orderBy('id')
    .execute();
  for (const ev of events) {
    const at = ev.at.toISOString();
    for (const kind of KINDS_OF[ev.action] ?? []) {
      entries.push({ at, kind, text: null, level: kind === 're_rated' ? e.ticket.revisitLevel : null });
    }
    if (ev.to_state === 'revisiting' && ev.from_state !== 'revisiting') {
      entries.push({ at, kind: 'revisit_offered', text: null, level: null });
    }
    if (ev.to_state === 'closed' && ev.from_state !== 'closed') {
      entries.push({ at, kind: 'closed', text: null, level: null });
    }
  }
  const lastOf = (kind: TimelineKind) => entries.findLast((x) => x.kind === kind);
  const replied = lastOf('replied');
  if (replied) replied.text = e.ticket.reply;
  const rectified = lastOf('rectified');
  if (rectified) rectified.text = e.ticket.rectification;
  return entries;
}

/** One public rating with its timeline; 404 when there is no such rating. */
export async function getPublicEvaluation(db: Executor, id: string): Promise<PublicEvaluationDetail> {
  const ids = db.selectFrom('evaluations as e').select('e.id').where('e.id', '=', id);
  const [evaluation] = await publicRows(db, ids);
  if (!evaluation) throw notFound('evaluation', id);
  return { ...evaluation, timeline: await timelineOf(db, evaluation) };
}
