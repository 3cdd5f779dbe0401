import { type Executor, inTransaction } from '@hcp/db';
import { SensitiveWords, type WorkingDayCalendar } from '@hcp/domain';
import { sql } from 'kysely';
import { type PassLog, repeat } from '../repeat';
import { createProtector, type Protector } from '../security/protector';
import { loadSensitiveWords } from './sensitive-words';
import {
  lockSubjectTexts,
  personNamesOf,
  redactText,
  SUBJECTS,
  type SubjectSpec,
  type SubjectText,
  workingDays,
  writePublished,
} from './subjects';

export interface PublisherDeps {
  db: Executor;
  protector: Protector;
  now: () => Date;
  calendar?: WorkingDayCalendar;
  /** Texts claimed per transaction (default 200). */
  batchSize?: number;
}

export interface PublishCounts {
  published: number;
  held: number;
}

/** A hit recorded when the applicant's sealed name cannot be opened, so the name could not be masked. */
export const UNREADABLE_NAME_HIT = '#applicant-name-unreadable';

interface Outcome {
  id: string;
  unitPath: string;
  original: string | null;
  redacted: string | null;
  hits: string[];
}

/** Redacts one claimed text and decides whether it may go out or must wait for a moderator. */
function decide(row: SubjectText, deps: PublisherDeps, words: SensitiveWords): Outcome {
  const base = { id: row.id, unitPath: row.unit_path, original: row.text };
  if (row.text === null) return { ...base, redacted: null, hits: [] };
  const names = personNamesOf(row, deps.protector);
  const redacted = redactText(row.text, names ?? []);
  const hits = [...new Set(words.find(redacted).map((h) => h.word))];
  if (names === null) hits.push(UNREADABLE_NAME_HIT);
  return { ...base, redacted, hits };
}

/**
 * Puts texts that hit the sensitive-word list in the moderation queue, due at the end of the next
 * working day. A text held again (a second rectification) reopens its item: one item per text.
 */
async function hold(trx: Executor, spec: SubjectSpec, rows: Outcome[], now: Date, due: Date) {
  if (rows.length === 0) return;
  await sql`
    UPDATE ${sql.table(spec.table)} SET ${sql.ref(spec.state)} = 'held'
    WHERE id = ANY(${rows.map((r) => r.id)}::bigint[])`.execute(trx);
  await sql`
    INSERT INTO moderation_items (subject, subject_id, unit_path, original, redacted, hits, created_at, due_at)
    SELECT ${spec.subject}, v.id, v.unit_path, v.original, v.redacted,
      ARRAY(SELECT jsonb_array_elements_text(v.hits::jsonb)), ${now}, ${due}
    FROM unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.unitPath)}::text[],
      ${rows.map((r) => r.original)}::text[], ${rows.map((r) => r.redacted)}::text[],
      ${rows.map((r) => JSON.stringify(r.hits))}::text[]) AS v(id, unit_path, original, redacted, hits)
    ON CONFLICT (subject, subject_id) DO UPDATE SET
      unit_path = excluded.unit_path, original = excluded.original, redacted = excluded.redacted,
      hits = excluded.hits, state = 'pending', published = NULL, decided_by = NULL, decided_at = NULL,
      created_at = excluded.created_at, due_at = excluded.due_at`.execute(trx);
}

/**
 * One pass of the publisher (发布): every pending rating comment, ticket reply and rectification is
 * claimed in batches (FOR UPDATE SKIP LOCKED, so several instances share the queue without doing a
 * text twice), redacted (ID numbers, phones, e-mails, plates, cards, and the applicant's and staff
 * member's names from the case), and then either published (with the search grams of a comment) or,
 * when the redacted text hits the sensitive-word list, held for moderation. Returns what it did.
 */
export async function runPublisher(deps: PublisherDeps): Promise<PublishCounts> {
  const batchSize = deps.batchSize ?? 200;
  const counts: PublishCounts = { published: 0, held: 0 };
  let words: SensitiveWords | null = null;
  for (const spec of Object.values(SUBJECTS)) {
    for (;;) {
      const claimed = await inTransaction(deps.db, async (trx) => {
        const rows = await lockSubjectTexts(trx, spec, { pending: batchSize });
        if (rows.length === 0) return 0;
        words ??= new SensitiveWords(await loadSensitiveWords(trx));
        const outcomes = rows.map((r) => decide(r, deps, words!));
        const held = outcomes.filter((o) => o.hits.length > 0);
        const out = outcomes.filter((o) => o.hits.length === 0);
        const now = deps.now();
        const due = (deps.calendar ?? workingDays()).addWorkingDays(now, 1);
        await writePublished(
          trx,
          spec,
          out.map((o) => ({ id: o.id, text: o.redacted })),
          'pending',
        );
        await hold(trx, spec, held, now, due);
        counts.published += out.length;
        counts.held += held.length;
        return rows.length;
      });
      if (claimed < batchSize) break;
    }
  }
  return counts;
}

/** Publishes everything pending now, in the caller's process (tests, `hcp` commands). */
export function publishNow(db: Executor, secret: string, now: () => Date = () => new Date()) {
  return runPublisher({ db, protector: createProtector(secret), now });
}

/**
 * Runs the publisher every `everyMs` (default one second) until the returned function is called,
 * which waits for a pass under way. A pass still running when the next tick comes is not started
 * twice; several instances may run it at once.
 */
export function startPublisher(
  deps: PublisherDeps & { log: PassLog; everyMs?: number },
): () => Promise<void> {
  return repeat(
    'publisher',
    deps.everyMs ?? 1000,
    () => runPublisher(deps),
    deps.log,
    (n) => {
      if (n.published + n.held > 0) deps.log.info(n, 'texts published or held for moderation');
    },
  );
}
