import { type Executor, ensureRatingCatalog } from '@hcp/db';
import { DEFAULT_RATING_CATALOG } from '@hcp/domain';

/** Data every deployment needs, whatever its catalogue: the default rating catalogue version. */
export async function ensureReferenceData(db: Executor): Promise<void> {
  await ensureRatingCatalog(db, DEFAULT_RATING_CATALOG);
}
