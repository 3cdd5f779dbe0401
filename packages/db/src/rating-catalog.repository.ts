import type { RatingCatalog } from '@hcp/contracts';
import type { RatingCatalogData } from '@hcp/domain';
import type { Executor } from './sql-helpers';

/** Stores a catalogue version unless it exists already; versions are immutable once stored. */
export async function ensureRatingCatalog(db: Executor, data: RatingCatalogData): Promise<boolean> {
  const existing = await db
    .selectFrom('rating_catalog_versions')
    .select('version')
    .where('version', '=', data.version)
    .executeTakeFirst();
  if (existing) return false;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('rating_catalog_versions')
      .values({ version: data.version, effective_from: data.effectiveFrom })
      .execute();
    await trx
      .insertInto('rating_indicators')
      .values(
        data.indicators.map((i, sort) => ({
          version: data.version,
          channel_type: i.channelType,
          code: i.code,
          name_zh: i.nameZh,
          name_en: i.nameEn,
          sort,
        })),
      )
      .execute();
    await trx
      .insertInto('rating_reasons')
      .values(
        data.reasons.map((r, sort) => ({
          version: data.version,
          code: r.code,
          category: r.category,
          name_zh: r.nameZh,
          name_en: r.nameEn,
          sort,
        })),
      )
      .execute();
  });
  return true;
}

/** The version in force on `day` (YYYY-MM-DD): the latest whose effective date is not after it. */
export async function currentRatingCatalog(db: Executor, day: string): Promise<RatingCatalog | null> {
  const v = await db
    .selectFrom('rating_catalog_versions')
    .select(['version', 'effective_from'])
    .where('effective_from', '<=', day)
    .orderBy('effective_from', 'desc')
    .executeTakeFirst();
  if (!v) return null;
  const [indicators, reasons] = await Promise.all([
    db
      .selectFrom('rating_indicators')
      .select(['code', 'channel_type as channelType', 'name_zh as nameZh', 'name_en as nameEn'])
      .where('version', '=', v.version)
      .orderBy('sort')
      .execute(),
    db
      .selectFrom('rating_reasons')
      .select(['code', 'category', 'name_zh as nameZh', 'name_en as nameEn'])
      .where('version', '=', v.version)
      .orderBy('sort')
      .execute(),
  ]);
  return { version: v.version, effectiveFrom: v.effective_from, indicators, reasons };
}
