import type {
  PublicEvaluation,
  PublicEvaluationDetail,
  PublicEvaluationPage,
  TimelineEntry,
  TimelineKind,
} from '@hcp/contracts';
import type { Executor } from '@hcp/db';
import { maskName, notFound, type TicketState } from '@hcp/domain';
import { sql } from 'kysely';
import { encodeIdCursor } from './cursor';
import { matchingIds, type ResolvedFilters } from './public-query';

/**
 * The public columns of ratings whose ids the page query found, and nothing else: the original
 * comment is only tested for presence, and no hash, account, device, IP, actor or flag is read.
 */
function rowsOf(db: Executor, ids: ReturnType<typeof matchingIds>) {
  return db
    .with('page', () => ids)
    .selectFrom('page')
    .innerJoin('evaluations as e', 'e.id', 'page.id')
    .innerJoin('cases as c', 'c.case_no', 'e.case_no')
    .leftJoin('items as i', 'i.code', 'e.item_code')
    .leftJoin('units as u', 'u.code', 'e.unit_code')
    .leftJoin('windows as w', 'w.no', 'e.window_no')
    .leftJoin('tickets as t', 't.evaluation_id', 'e.id')
    .select([
      'e.id',
      'e.created_at',
      'e.round',
      'e.level',
      'e.is_default',
      'e.channel',
      'e.indicators',
      'e.reasons',
      sql<boolean>`e.comment IS NOT NULL`.as('has_comment'),
      'e.publication',
      'e.comment_public',
      'c.applicant_name',
      'e.item_code',
      'i.name as item_name',
      'e.unit_code',
      'u.name as unit_name',
      'e.unit_path',
      'e.window_no',
      'w.name as window_name',
      'e.staff_no',
      't.id as ticket_id',
      't.state as ticket_state',
      't.replied_at',
      't.reply_public',
      't.reply_publication',
      't.rectified_at',
      't.rectify_public',
      't.rectify_publication',
      't.revisit_level',
      't.appeal_outcome',
      't.outcome',
      't.closed_at',
    ])
    .orderBy('e.id', 'desc');
}

type Row = Awaited<ReturnType<ReturnType<typeof rowsOf>['execute']>>[number];

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A stored rating as the public sees it (PublicEvaluation in the contract). */
function present(r: Row): PublicEvaluation {
  const status = r.has_comment ? r.publication : 'none';
  return {
    id: String(r.id),
    createdAt: r.created_at.toISOString(),
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
    item: { code: r.item_code, name: r.item_name ?? r.item_code },
    unit: { code: r.unit_code, name: r.unit_name ?? r.unit_code, path: r.unit_path },
    window: r.window_no ? { no: r.window_no, name: r.window_name ?? r.window_no } : null,
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
            repliedAt: iso(r.replied_at),
            rectification: r.rectify_publication === 'published' ? r.rectify_public : null,
            rectifiedAt: iso(r.rectified_at),
            revisitLevel: r.revisit_level,
            appealOutcome: r.appeal_outcome,
            outcome: r.outcome,
            closedAt: iso(r.closed_at),
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
  const rows = await rowsOf(db, matchingIds(db, f, limit + 1, cursorId)).execute();
  const items = rows.slice(0, limit).map(present);
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
  const row = await rowsOf(db, ids as unknown as ReturnType<typeof matchingIds>).executeTakeFirst();
  if (!row) throw notFound('evaluation', id);
  const evaluation = present(row);
  return { ...evaluation, timeline: await timelineOf(db, evaluation) };
}
