import type { ModerationItem, ModerationQuery } from '@hcp/contracts';
import { type Executor, escapeLike, inTransaction } from '@hcp/db';
import { DomainError, inScope } from '@hcp/domain';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { recordAudit } from '../identity/audit';
import type { Protector } from '../security/protector';
import { decodeIdCursor, encodeIdCursor } from './cursor';
import { lockSubjectTexts, personNamesOf, redactText, SUBJECTS, writePublished } from './subjects';

type Who = Pick<FastifyRequest, 'actor' | 'ip' | 'id'>;

function itemsQuery(db: Executor) {
  return db
    .selectFrom('moderation_items as m')
    .leftJoin('evaluations as e', (j) =>
      j.onRef('e.id', '=', 'm.subject_id').on('m.subject', '=', 'evaluation_comment'),
    )
    .leftJoin('tickets as t', (j) =>
      j.onRef('t.id', '=', 'm.subject_id').on('m.subject', '<>', 'evaluation_comment'),
    )
    .leftJoin('units as u', (j) => j.on(sql<boolean>`u.code = coalesce(e.unit_code, t.unit_code)`))
    .select([
      'm.id',
      'm.subject',
      'm.subject_id',
      sql<string>`coalesce(e.id, t.evaluation_id)`.as('evaluation_id'),
      sql<string>`coalesce(e.unit_code, t.unit_code)`.as('unit_code'),
      'u.name as unit_name',
      'm.original',
      'm.redacted',
      'm.hits',
      'm.state',
      'm.published',
      'm.decided_by',
      'm.decided_at',
      'm.created_at',
      'm.due_at',
    ]);
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof itemsQuery>['execute']>>[number];

function present(r: ItemRow): ModerationItem {
  const unitCode = r.unit_code ?? '';
  return {
    id: String(r.id),
    subject: r.subject,
    subjectId: String(r.subject_id),
    evaluationId: String(r.evaluation_id ?? ''),
    unit: { code: unitCode, name: r.unit_name ?? unitCode },
    original: r.original,
    redacted: r.redacted,
    hits: r.hits,
    state: r.state,
    published: r.published,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    dueAt: r.due_at.toISOString(),
  };
}

/**
 * The moderation queue (审核) of the caller's subtree: pending items oldest first (the most urgent),
 * decided ones newest first, with keyset paging.
 */
export async function listModeration(db: Executor, scopePath: string | null, q: ModerationQuery) {
  const state = q.state ?? 'pending';
  const limit = q.limit ?? 50;
  const ascending = state === 'pending';
  let query = itemsQuery(db)
    .where('m.state', '=', state)
    .orderBy('m.id', ascending ? 'asc' : 'desc')
    .limit(limit + 1);
  if (scopePath) query = query.where('m.unit_path', 'like', `${escapeLike(scopePath)}%`);
  if (q.cursor) query = query.where('m.id', ascending ? '>' : '<', decodeIdCursor(q.cursor));
  const rows = await query.execute();
  const items = rows.slice(0, limit).map(present);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeIdCursor(last.id) : null };
}

const notFound = (id: string) =>
  new DomainError(
    'NOT_FOUND',
    { en: `moderation item ${id} not found`, zh: `审核事项 ${id} 不存在` },
    { id },
  );

export type ModerationDecision = { kind: 'approve' } | { kind: 'edit'; text: string };

/**
 * Decides a pending moderation item: `approve` publishes the automatically redacted text, `edit`
 * publishes the moderator's text after redacting it again (the applicant's and staff member's names
 * included). The original stays in the item and in the rating or ticket. Items outside the caller's
 * subtree are 404; a decided item, or a text replaced since it was held, is 409. Audited in the same
 * transaction.
 */
export async function decideModeration(
  deps: { db: Executor; protector: Protector; now: () => Date },
  who: Who,
  id: string,
  decision: ModerationDecision,
): Promise<ModerationItem> {
  await inTransaction(deps.db, async (trx) => {
    const peek = await trx
      .selectFrom('moderation_items')
      .select(['subject', 'subject_id', 'unit_path'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!peek || !inScope(who.actor?.unitPath ?? null, peek.unit_path)) throw notFound(id);
    const spec = SUBJECTS[peek.subject];
    // The text first, then its item: the publisher locks in the same order, so the two never deadlock.
    const [subject] = await lockSubjectTexts(trx, spec, { id: String(peek.subject_id) });
    const item = await trx
      .selectFrom('moderation_items')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!item) throw notFound(id);
    if (item.state !== 'pending') {
      throw new DomainError(
        'CONFLICT',
        { en: `moderation item ${id} was already decided (${item.state})`, zh: '该审核事项已处理' },
        { state: item.state, reason: 'ALREADY_DECIDED' },
      );
    }
    const text =
      decision.kind === 'approve'
        ? item.redacted
        : redactText(decision.text, subject ? (personNamesOf(subject, deps.protector) ?? []) : []);
    const changed = await writePublished(trx, spec, [{ id: String(item.subject_id), text }], 'held');
    if (changed === 0) {
      throw new DomainError(
        'CONFLICT',
        {
          en: 'the text was replaced since it was held; it is being checked again',
          zh: '原文已更新，正在重新审核',
        },
        { reason: 'TEXT_REPLACED' },
      );
    }
    const state = decision.kind === 'approve' ? 'approved' : 'edited';
    await trx
      .updateTable('moderation_items')
      .set({ state, published: text, decided_by: who.actor?.id ?? '-', decided_at: deps.now() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, who, {
      action: `moderation.${decision.kind}`,
      targetType: 'moderation_item',
      targetId: id,
      before: { state: 'pending', subject: item.subject, subjectId: String(item.subject_id) },
      after: { state, published: text },
    });
  });
  const row = await itemsQuery(deps.db).where('m.id', '=', id).executeTakeFirstOrThrow();
  return present(row);
}
