export * from './cases.repository';
export * from './catalog-rows.repository';
export * from './connect';
export * from './migrate';
export * from './pads.repository';
export * from './rating-catalog.repository';
export type { DB } from './schema';
export * from './sql-helpers';
export * from './units.repository';
