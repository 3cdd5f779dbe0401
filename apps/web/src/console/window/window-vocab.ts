import type { EvaluationFlag } from '@hcp/domain';

// A record (not an array) so the type checker fails when the domain gains a flag we do not name.
const flags: Record<EvaluationFlag, true> = {
  burst_device: true,
  burst_account: true,
  burst_ip: true,
  staff_self: true,
};

/** Abuse flags a rating may carry (labels: `window.flag.<flag>`). */
export const FLAG_OPTIONS = Object.keys(flags) as EvaluationFlag[];

/** The i18n key of a flag's label, or null for a flag this build does not know. */
export function flagKey(flag: string): string | null {
  return Object.hasOwn(flags, flag) ? `window.flag.${flag}` : null;
}

/**
 * The i18n key of a level in words: 非常满意 … 非常不满意 (`rating.level<n>`, the names of
 * packages/domain/src/levels.ts; a test keeps them equal). Only types come from @hcp/domain here:
 * its index also exports server-side code (TOTP, node:crypto) that must stay out of the browser bundle.
 */
export function levelKey(level: number): string | null {
  return Number.isInteger(level) && level >= 1 && level <= 5 ? `rating.level${level}` : null;
}

/** 好评 (3–5 stars) or 差评 (1–2), as DOMAIN.md §2 classes a level. */
export function levelClass(level: number): 'good' | 'bad' {
  return level <= 2 ? 'bad' : 'good';
}
