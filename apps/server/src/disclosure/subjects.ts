import type { Executor } from '@hcp/db';
import { createCalendar, redact, type WorkingDayCalendar } from '@hcp/domain';
import { sql } from 'kysely';
import type { Protector } from '../security/protector';
import { textGrams } from './grams';

/** The three texts that are published after redaction: a rating's comment, a ticket's reply and rectification. */
export type ModerationSubject = 'evaluation_comment' | 'ticket_reply' | 'ticket_rectification';

/** Where one kind of text lives: the original, its published form and its publication state. */
export interface SubjectSpec {
  subject: ModerationSubject;
  table: 'evaluations' | 'tickets';
  original: 'comment' | 'reply_text' | 'rectify_text';
  published: 'comment_public' | 'reply_public' | 'rectify_public';
  state: 'publication' | 'reply_publication' | 'rectify_publication';
  /** Comments keep the grams of their published text for search. */
  grams: boolean;
}

export const SUBJECTS: Record<ModerationSubject, SubjectSpec> = {
  evaluation_comment: {
    subject: 'evaluation_comment',
    table: 'evaluations',
    original: 'comment',
    published: 'comment_public',
    state: 'publication',
    grams: true,
  },
  ticket_reply: {
    subject: 'ticket_reply',
    table: 'tickets',
    original: 'reply_text',
    published: 'reply_public',
    state: 'reply_publication',
    grams: false,
  },
  ticket_rectification: {
    subject: 'ticket_rectification',
    table: 'tickets',
    original: 'rectify_text',
    published: 'rectify_public',
    state: 'rectify_publication',
    grams: false,
  },
};

/** A text with what redaction needs to know about its case. */
export interface SubjectText {
  id: string;
  text: string | null;
  unit_path: string;
  applicant_name_enc: string;
  staff_name: string | null;
}

/**
 * Texts of one kind, locked for this transaction, with the case's sealed applicant name and the
 * staff member's name: either the oldest `pending` ones not locked by another publisher
 * (FOR UPDATE SKIP LOCKED, so instances share the queue), or the one with this id.
 */
export async function lockSubjectTexts(
  db: Executor,
  spec: SubjectSpec,
  pick: { pending: number } | { id: string },
): Promise<SubjectText[]> {
  const s = (column: string) => sql.ref(`s.${column}`);
  const tail =
    'id' in pick
      ? sql`WHERE ${s('id')} = ${pick.id} FOR UPDATE OF s`
      : sql`WHERE ${s(spec.state)} = 'pending' ORDER BY ${s('id')} LIMIT ${pick.pending} FOR UPDATE OF s SKIP LOCKED`;
  const result = await sql<SubjectText>`
    SELECT ${s('id')}::text AS id, ${s(spec.original)} AS text, ${s('unit_path')} AS unit_path,
      c.applicant_name_enc, st.name AS staff_name
    FROM ${sql.table(spec.table)} s
    JOIN cases c ON c.case_no = ${s('case_no')}
    LEFT JOIN staff st ON st.staff_no = ${s('staff_no')}
    ${tail}`.execute(db);
  return result.rows;
}

/**
 * The names to mask in a text: the applicant's own name (opened from the case) and the staff
 * member's. Null when the sealed name cannot be opened (a rotated secret): such a text must not go
 * out automatically.
 */
export function personNamesOf(row: SubjectText, protector: Protector): string[] | null {
  let applicant: string;
  try {
    applicant = protector.decrypt(row.applicant_name_enc);
  } catch {
    return null;
  }
  return [applicant, row.staff_name].filter((n): n is string => !!n && n.trim().length > 0);
}

/** The publishable form of a text: personal data masked, the case's names included. */
export function redactText(text: string, names: readonly string[]): string {
  return redact(text, { personNames: names }).text;
}

/**
 * Publishes texts (null: a row without text) that are in `from` state, with the search grams of a
 * comment, and drops any undecided moderation item of the same text: it held a version that a
 * newer one replaced (the original stays in the ticket's event history). Returns the rows changed.
 */
export async function writePublished(
  db: Executor,
  spec: SubjectSpec,
  rows: { id: string; text: string | null }[],
  from: 'pending' | 'held',
): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  const grams = rows.map((r) => (r.text === null ? null : JSON.stringify(textGrams(r.text))));
  const setGrams = spec.grams
    ? sql`, comment_grams = CASE WHEN v.text IS NULL THEN NULL
        ELSE ARRAY(SELECT jsonb_array_elements_text(v.grams::jsonb)) END`
    : sql``;
  const updated = await sql`
    UPDATE ${sql.table(spec.table)} AS s
    SET ${sql.ref(spec.state)} = 'published', ${sql.ref(spec.published)} = v.text ${setGrams}
    FROM unnest(${ids}::bigint[], ${rows.map((r) => r.text)}::text[], ${grams}::text[]) AS v(id, text, grams)
    WHERE s.id = v.id AND s.${sql.ref(spec.state)} = ${from}
    RETURNING s.id`.execute(db);
  if (from === 'pending') {
    await sql`
      DELETE FROM moderation_items
      WHERE subject = ${spec.subject} AND subject_id = ANY(${ids}::bigint[]) AND state = 'pending'`.execute(
      db,
    );
  }
  return updated.rows.length;
}

let calendar: WorkingDayCalendar | null = null;

/** The working-day calendar (built once: it validates the holiday data). */
export function workingDays(): WorkingDayCalendar {
  calendar ??= createCalendar();
  return calendar;
}
