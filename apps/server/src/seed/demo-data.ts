/**
 * Deterministic demo catalogue for Shanghai (units, windows, staff, items), used by the seed
 * command, the benchmarks and the tests. Same options → byte-identical output: all randomness comes
 * from seeded generators, never from Math.random or the clock.
 */
import type { ItemInput, StaffInput, UnitInput, WindowInput } from '@hcp/contracts';
import { buildItems } from './demo-items';
import { buildStaff, buildWindows } from './demo-people';
import { subRng } from './demo-random';
import { buildUnits } from './demo-units';

/** The generated catalogue, each list in an order that is safe to insert (parents first). */
export interface DemoCatalog {
  units: UnitInput[];
  windows: WindowInput[];
  staff: StaffInput[];
  items: ItemInput[];
}

/** Options: `scale` multiplies the Shanghai-sized volumes (0.01..20, default 1); `seed` varies the draw. */
export interface DemoCatalogOptions {
  scale?: number;
  seed?: number;
}

/** Smallest and largest supported scale: below, the tree stops being complete; above, codes run out. */
export const DEMO_SCALE_MIN = 0.01;
export const DEMO_SCALE_MAX = 20;

/**
 * Generates the demo catalogue. At scale 1: 1 city, ~50 departments, 16 districts, ~215 streets,
 * ~6,000 communities, ~8,000 windows, ~20,000 staff, ~3,600 items. The districts and the city
 * structure never scale; streets shrink below scale 1 (at least one per district); communities,
 * windows, staff and items scale linearly with at least one per parent.
 */
export function generateDemoCatalog(opts: DemoCatalogOptions = {}): DemoCatalog {
  const scale = opts.scale ?? 1;
  const seed = opts.seed ?? 1;
  if (!Number.isFinite(scale) || scale < DEMO_SCALE_MIN || scale > DEMO_SCALE_MAX) {
    throw new RangeError(`scale must be between ${DEMO_SCALE_MIN} and ${DEMO_SCALE_MAX}, got ${scale}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  // One generator per part, so that e.g. a change to staff names leaves unit names untouched.
  const tree = buildUnits(subRng(seed, 1), scale, seed);
  const windows = buildWindows(subRng(seed, 2), scale, tree);
  const staff = buildStaff(subRng(seed, 3), scale, tree, windows);
  const items = buildItems(subRng(seed, 4), scale, tree.departments, tree.districtCentres);
  return { units: tree.units, windows, staff, items };
}
