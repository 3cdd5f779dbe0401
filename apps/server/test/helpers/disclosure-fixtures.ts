import type { CaseInput } from '@hcp/contracts';
import { createCalendar, type RoleId } from '@hcp/domain';
import { expect } from 'vitest';
import { publishNow } from '../../src/disclosure/publisher';
import { createAccount } from '../../src/identity/accounts';
import { type Counter, makeCase, pushCase, rate } from './intake-fixtures';
import { TEST_SECRET, type TestApp } from './test-app';

export const PASSWORD = 'Correct-horse-42';

/** Runs one publisher pass now, as the server's 1-second loop would. */
export function publish(t: TestApp, now: () => Date = () => new Date()) {
  return publishNow(t.database.db, TEST_SECRET, now);
}

/** Creates an account and signs it in; returns the headers of its session (cookie and CSRF token). */
export async function signedIn(t: TestApp, username: string, role: RoleId, unitCode: string | null) {
  await createAccount(
    t.database.db,
    { username, displayName: username, role, unitCode, staffNo: null, password: PASSWORD },
    new Date(),
  );
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: PASSWORD },
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'hcp_session')!;
  return { cookie: `hcp_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken as string };
}

export interface Rated {
  caseNo: string;
  evaluationId: string;
}

/** Pushes a completed case at the counter and rates it through the API (the bootstrap key). */
export async function rateCase(
  t: TestApp,
  counter: Counter,
  at: Date,
  rating: {
    level: number;
    comment?: string;
    channel?: string;
    reasons?: string[];
    /** Further body fields (deviceId, account). */
    extra?: Record<string, unknown>;
  },
  applicant: Partial<CaseInput['applicant']> = {},
  over: Partial<CaseInput> = {},
): Promise<Rated> {
  const base = makeCase(counter, at, over);
  const c = { ...base, applicant: { ...base.applicant, ...applicant } };
  const pushed = await pushCase(t, c);
  expect(pushed.statusCode, pushed.body).toBe(201);
  const channel = rating.channel ?? 'pc';
  const res = await rate(t, {
    caseNo: c.caseNo,
    round: 1,
    level: rating.level,
    channel,
    ...(channel === 'window_pad' || channel === 'kiosk' ? { deviceId: `${channel}-01` } : {}),
    ...(rating.comment ? { comment: rating.comment } : {}),
    ...(rating.reasons ? { reasons: rating.reasons } : {}),
    ...rating.extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return { caseNo: c.caseNo, evaluationId: String(res.json().id) };
}

type TicketPatch = Record<string, unknown>;

/**
 * The ticket of a round-1 rating with these columns set: intake opens one for a bad rating, and
 * one is inserted here otherwise (tests of a state need not walk the whole loop).
 */
export async function ticketFor(t: TestApp, evaluationId: string, patch: TicketPatch = {}): Promise<string> {
  const db = t.database.db;
  const existing = await db
    .selectFrom('tickets')
    .select('id')
    .where('evaluation_id', '=', evaluationId)
    .executeTakeFirst();
  let id = existing ? String(existing.id) : null;
  if (!id) {
    const e = await db
      .selectFrom('evaluations')
      .selectAll()
      .where('id', '=', evaluationId)
      .executeTakeFirstOrThrow();
    const at = new Date();
    const due = createCalendar().addWorkingDays(at, 5);
    const row = await db
      .insertInto('tickets')
      .values({
        evaluation_id: evaluationId,
        case_no: e.case_no,
        unit_code: e.unit_code,
        unit_path: e.unit_path,
        item_code: e.item_code,
        window_no: e.window_no,
        staff_no: e.staff_no,
        state: 'pending_contact',
        opened_at: at,
        contact_due: due,
        reply_due: due,
        rectify_due: due,
        appeal_due: due,
        due_at: due,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = String(row.id);
    await ticketEvent(t, id, 'opened', null, 'pending_contact', at);
  }
  if (Object.keys(patch).length) {
    await db
      .updateTable('tickets')
      .set(patch as never)
      .where('id', '=', id)
      .execute();
  }
  return id;
}

/** Appends a ticket event as the ticket code records one (payload: what the actor sent, internal). */
export async function ticketEvent(
  t: TestApp,
  ticketId: string,
  action: string,
  from: string | null,
  to: string,
  at: Date,
  payload: Record<string, unknown> = {},
) {
  await t.database.db
    .insertInto('ticket_events')
    .values({
      ticket_id: ticketId,
      at,
      action,
      from_state: from,
      to_state: to,
      actor_kind: 'account',
      actor_id: 'acct-secret-actor',
      role: 'unit_admin',
      payload: JSON.stringify(payload),
    })
    .execute();
}

const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * What makes a document not well-formed XML 1.0 (none: it is): one root element, tags nested and
 * closed, attribute values quoted, no stray '<' or unescaped '&', only legal characters.
 */
export function xmlProblems(doc: string): string[] {
  const problems: string[] = [];
  if (!doc.startsWith('<?xml version="1.0"')) problems.push('no XML declaration first');
  if (NOT_XML_CHAR.test(doc)) problems.push('a character XML does not allow');
  const token =
    /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/([A-Za-z_][\w:.-]*)\s*>|<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  const stack: string[] = [];
  let roots = 0;
  for (let m = token.exec(doc); m; m = token.exec(doc)) {
    const [, close, open, attrs, selfClosing, text, stray] = m;
    if (close) {
      const top = stack.pop();
      if (top !== close) problems.push(`</${close}> closes <${top}>`);
    } else if (open) {
      if (stack.length === 0) roots++;
      if (attrs && ENTITY.test(attrs)) problems.push(`bare & in the attributes of <${open}>`);
      if (!selfClosing) stack.push(open);
    } else if (text !== undefined) {
      if (ENTITY.test(text)) problems.push(`bare & in text: ${text.slice(0, 40)}`);
      if (stack.length === 0 && text.trim()) problems.push('text outside the root element');
    } else if (stray) problems.push(`stray < at ${m.index}`);
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
