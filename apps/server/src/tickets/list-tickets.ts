import type { TicketListQuery } from '@hcp/contracts';
import { DomainError, TICKET_STATES, type TicketState } from '@hcp/domain';
import { sql } from 'kysely';
import type { Actor } from '../http/auth';
import { decodeCursor, encodeCursor, presentSummary, ticketQuery, ticketScope } from './ticket-views';
import type { TicketDeps } from './tickets.routes';

const isId = (v: unknown) => typeof v === 'string' && /^[0-9]{1,18}$/.test(v);
const isTime = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const OPEN_STATES = TICKET_STATES.filter((s) => s !== 'closed');

/** The queue: the caller's tickets by filter, keyset pages by deadline or newest first. */
export async function listTickets(deps: TicketDeps, actor: Actor, q: TicketListQuery) {
  const now = deps.now();
  const limit = q.limit ?? 50;
  const sort = q.sort ?? 'due';
  const scope = ticketScope(actor);
  let query = ticketQuery(deps.db);
  if (scope.path !== null) query = query.where('t.unit_path', 'like', `${scope.path}%`);
  if (scope.staffNo !== undefined) query = query.where('t.staff_no', '=', scope.staffNo);
  if (q.unit) {
    const u = await deps.db.selectFrom('units').select('path').where('code', '=', q.unit).executeTakeFirst();
    if (!u || (scope.path !== null && !u.path.startsWith(scope.path))) {
      throw new DomainError(
        'NOT_FOUND',
        { en: `unit ${q.unit} not found`, zh: `单位 ${q.unit} 不存在` },
        { field: 'unit' },
      );
    }
    query = query.where('t.unit_path', 'like', `${u.path}%`);
  }
  if (q.state?.length) {
    const states = new Set<TicketState>(
      q.state.flatMap((s) => (s === 'open' ? OPEN_STATES : [s as TicketState])),
    );
    query = query.where('t.state', 'in', [...states]);
  }
  if (q.overdue !== undefined) {
    query = q.overdue
      ? query.where('t.due_at', '<', now).where('t.state', 'not in', ['closed', 'revisiting'])
      : query.where((eb) => eb.or([eb('t.due_at', '>=', now), eb('t.due_at', 'is', null)]));
  }
  if (q.dueBefore) query = query.where('t.due_at', '<', new Date(q.dueBefore));
  if (q.escalated !== undefined) query = query.where('t.escalation_level', q.escalated ? '>' : '=', 0);

  if (sort === 'due') {
    // Deadline first; closed tickets (no deadline) last; id breaks ties.
    const far = new Date('9999-12-31T00:00:00Z');
    const dueKey = sql<Date>`coalesce(t.due_at, ${far}::timestamptz)`;
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor, 2, [isTime, isId]) as [string, string];
      query = query.where(sql<boolean>`(${dueKey}, t.id) > (${new Date(at)}::timestamptz, ${id}::bigint)`);
    }
    query = query.orderBy(dueKey).orderBy('t.id');
  } else {
    if (q.cursor) {
      const [id] = decodeCursor(q.cursor, 1, [isId]) as [string];
      query = query.where('t.id', '<', id);
    }
    query = query.orderBy('t.id', 'desc');
  }
  const rows = await query.limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor(
          sort === 'due'
            ? [(last.due_at ?? new Date('9999-12-31T00:00:00Z')).toISOString(), String(last.id)]
            : [String(last.id)],
        )
      : null;
  return { items: page.map((r) => presentSummary(r, deps.policy.calendar, now)), nextCursor };
}
