/** Rating levels (DOMAIN.md §2): 1–2 stars are bad (差评), 3–5 good (好评). */
export const RATING_LEVELS = [
  { level: 5, nameZh: '非常满意', nameEn: 'Very satisfied', class: 'good' },
  { level: 4, nameZh: '满意', nameEn: 'Satisfied', class: 'good' },
  { level: 3, nameZh: '基本满意', nameEn: 'Basically satisfied', class: 'good' },
  { level: 2, nameZh: '不满意', nameEn: 'Dissatisfied', class: 'bad' },
  { level: 1, nameZh: '非常不满意', nameEn: 'Very dissatisfied', class: 'bad' },
] as const;

export type RatingLevel = 1 | 2 | 3 | 4 | 5;
export type RatingClass = 'good' | 'bad';

/** Whether a level is a bad rating, which opens a ticket. */
export function isBad(level: RatingLevel): boolean {
  return level <= 2;
}

/** The class (好评 / 差评) of a level. */
export function classOf(level: RatingLevel): RatingClass {
  return isBad(level) ? 'bad' : 'good';
}
