import type { EvaluationInput } from '@hcp/contracts';

/** Rating levels as shown to applicants, best first; `label` is an i18n key (DOMAIN.md §2). */
export const LEVELS = [
  { level: 5, label: 'rating.level5' },
  { level: 4, label: 'rating.level4' },
  { level: 3, label: 'rating.level3' },
  { level: 2, label: 'rating.level2' },
  { level: 1, label: 'rating.level1' },
] as const;

/** Longest comment the API accepts. */
export const COMMENT_MAX = 2000;

/** What the applicant has chosen so far on a rating screen. */
export interface RatingChoice {
  level: number | null;
  reasons: string[];
  comment: string;
}

/** 不满意 and 非常不满意 are bad ratings: they need a reason or a comment. */
export function isBadLevel(level: number | null): boolean {
  return level !== null && level <= 2;
}

/** Whether the choice can be submitted: a level, and for a bad one at least one reason or a comment. */
export function isChoiceComplete(choice: RatingChoice): boolean {
  if (choice.level === null || choice.level < 1 || choice.level > 5) return false;
  return !isBadLevel(choice.level) || choice.reasons.length > 0 || choice.comment.trim() !== '';
}

/** The rating part of the request body: reasons only for bad ratings, the comment trimmed or left out. */
export function ratingContent(choice: RatingChoice): Pick<EvaluationInput, 'level' | 'reasons' | 'comment'> {
  if (!isChoiceComplete(choice)) throw new Error('rating choice is not complete');
  const comment = choice.comment.trim().slice(0, COMMENT_MAX);
  return {
    level: choice.level!,
    ...(isBadLevel(choice.level) && choice.reasons.length ? { reasons: [...choice.reasons] } : {}),
    ...(comment ? { comment } : {}),
  };
}

/**
 * A fresh Idempotency-Key (UUID v4). crypto.randomUUID exists only in secure contexts, and a pad on
 * the hall's intranet may be served over plain http, so fall back to getRandomValues there.
 */
export function newIdempotencyKey(c: Pick<Crypto, 'getRandomValues'> & Partial<Crypto> = crypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
