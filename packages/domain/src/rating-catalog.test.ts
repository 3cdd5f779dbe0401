import { describe, expect, it } from 'vitest';
import { DEFAULT_RATING_CATALOG, type RatingCatalogData, validateRatingCatalog } from './rating-catalog';

function copy(): RatingCatalogData {
  return structuredClone(DEFAULT_RATING_CATALOG);
}

describe('DEFAULT_RATING_CATALOG', () => {
  it('is version 2021.1 from 2021-01-01', () => {
    expect(DEFAULT_RATING_CATALOG.version).toBe('2021.1');
    expect(DEFAULT_RATING_CATALOG.effectiveFrom).toBe('2021-01-01');
  });

  it('has the online and offline indicator sets of DOMAIN.md §2', () => {
    const codes = (t: string) =>
      DEFAULT_RATING_CATALOG.indicators.filter((i) => i.channelType === t).map((i) => i.code);
    expect(codes('online')).toEqual(['overall', 'efficiency', 'guide_accuracy', 'convenience', 'usability']);
    expect(codes('offline')).toEqual(['overall', 'efficiency', 'competence', 'attitude']);
  });

  it('has 6 staff reasons and 7 item reasons, ending with other', () => {
    const reasons = DEFAULT_RATING_CATALOG.reasons;
    expect(reasons.filter((r) => r.category === 'staff')).toHaveLength(6);
    expect(reasons.filter((r) => r.category === 'item')).toHaveLength(7);
    expect(reasons.at(-1)?.code).toBe('other');
  });

  it('passes its own validation', () => {
    expect(validateRatingCatalog(DEFAULT_RATING_CATALOG)).toEqual([]);
  });
});

describe('validateRatingCatalog', () => {
  it('reports a duplicate indicator code within one channel type', () => {
    const c = copy();
    c.indicators.push({ ...c.indicators[1]! });
    expect(validateRatingCatalog(c)).toEqual(['indicator online/efficiency: duplicate code']);
  });

  it('reports a duplicate reason code even across categories', () => {
    const c = copy();
    c.reasons.push({ code: 'discipline', category: 'item', nameZh: '纪律', nameEn: 'Discipline' });
    expect(validateRatingCatalog(c)).toEqual(['reason discipline: duplicate code']);
  });

  it('reports empty names', () => {
    const c = copy();
    c.reasons[0]!.nameZh = '  ';
    c.indicators[2]!.nameEn = '';
    expect(validateRatingCatalog(c)).toEqual([
      'indicator online/guide_accuracy: empty name',
      'reason attitude_not_proactive: empty name',
    ]);
  });

  it('reports codes that are not snake_case', () => {
    const c = copy();
    c.reasons[1]!.code = 'Slow-Buck';
    expect(validateRatingCatalog(c)).toEqual(['reason Slow-Buck: code is not snake_case']);
  });

  it('reports a missing overall indicator, empty version and impossible date', () => {
    const c = copy();
    c.indicators = c.indicators.filter((i) => !(i.channelType === 'offline' && i.code === 'overall'));
    c.version = '';
    c.effectiveFrom = '2021-02-30';
    expect(validateRatingCatalog(c)).toEqual([
      'version is empty',
      "effectiveFrom '2021-02-30' is not a yyyy-mm-dd date",
      "offline indicators lack 'overall'",
    ]);
  });
});
