import type { SensitiveWord } from '@hcp/contracts';
import { type Executor, inTransaction } from '@hcp/db';
import { DomainError, needsModeration } from '@hcp/domain';
import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../identity/audit';

type Who = Pick<FastifyRequest, 'actor' | 'ip' | 'id'>;

/** The words of the sensitive-word list (敏感词), for the publisher's matcher. */
export async function loadSensitiveWords(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('sensitive_words').select('word').execute();
  return rows.map((r) => r.word);
}

const present = (r: { word: string; created_by: string; created_at: Date }): SensitiveWord => ({
  word: r.word,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

/** The whole list, in word order (a few thousand words at most). */
export async function listSensitiveWords(db: Executor): Promise<SensitiveWord[]> {
  const rows = await db
    .selectFrom('sensitive_words')
    .select(['word', 'created_by', 'created_at'])
    .orderBy('word')
    .execute();
  return rows.map(present);
}

/**
 * Adds a word (trimmed), audited in the same transaction. Refuses a word that could never match
 * (only separators, or Latin words spaced apart: the matcher ignores those) with 400, and a word
 * already listed with 409. Texts already published are not checked again.
 */
export async function addSensitiveWord(db: Executor, who: Who, input: string): Promise<SensitiveWord> {
  const word = input.trim();
  if (!word || !needsModeration(word, [word])) {
    throw new DomainError(
      'VALIDATION_FAILED',
      {
        en: 'body.word could never match: it is only separators or spaced-out words',
        zh: 'body.word：该词无法匹配任何文本',
      },
      { field: 'body.word' },
    );
  }
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('sensitive_words')
      .values({ word, created_by: who.actor?.id ?? '-' })
      .onConflict((oc) => oc.column('word').doNothing())
      .returning(['word', 'created_by', 'created_at'])
      .executeTakeFirst();
    if (!row) {
      throw new DomainError(
        'CONFLICT',
        { en: `the word ${word} is already listed`, zh: `敏感词“${word}”已存在` },
        { field: 'body.word' },
      );
    }
    await recordAudit(trx, who, {
      action: 'sensitive_word.add',
      targetType: 'sensitive_word',
      targetId: word,
      after: { word },
    });
    return present(row);
  });
}

/** Removes a word, audited; 404 when it is not listed. */
export async function removeSensitiveWord(db: Executor, who: Who, word: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await trx
      .deleteFrom('sensitive_words')
      .where('word', '=', word)
      .returning('word')
      .executeTakeFirst();
    if (!row) {
      throw new DomainError(
        'NOT_FOUND',
        { en: `the word ${word} is not listed`, zh: `敏感词“${word}”不存在` },
        { word },
      );
    }
    await recordAudit(trx, who, {
      action: 'sensitive_word.remove',
      targetType: 'sensitive_word',
      targetId: word,
      before: { word },
    });
  });
}
