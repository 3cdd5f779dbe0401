import type { ColumnType } from 'kysely';

/** Timestamps default to now() in SQL and come back as Date. */
export type CreatedAt = ColumnType<Date, Date | undefined, never>;
export type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
/** A nullable column that may be left out on insert. */
export type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** pending (publisher not run yet), published, held (in the moderation queue). */
export type Publication = 'pending' | 'published' | 'held';
