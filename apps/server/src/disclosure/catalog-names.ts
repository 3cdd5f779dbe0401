import type { Executor } from '@hcp/db';
import { sql } from 'kysely';

type Kind = 'item' | 'unit' | 'window';

/**
 * Names of items, units and windows for public pages, kept 30 s per database handle. Joining the
 * three catalogue tables into every public page cost a third of its time in PostgreSQL (bench
 * public-read); names change rarely, and a renamed one shows within 30 s. Codes not yet known are
 * fetched together in one query; a code without a row is shown as itself.
 */
const caches = new WeakMap<Executor, Map<string, { name: string | null; at: number }>>();
const TTL_MS = 30_000;
const MAX_ENTRIES = 50_000;

export async function catalogNames(
  db: Executor,
  wanted: { kind: Kind; code: string | null }[],
): Promise<(kind: Kind, code: string) => string> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const now = Date.now();
  const missing = { item: new Set<string>(), unit: new Set<string>(), window: new Set<string>() };
  for (const { kind, code } of wanted) {
    if (code === null) continue;
    const hit = cache.get(`${kind}:${code}`);
    if (!hit || now - hit.at >= TTL_MS) missing[kind].add(code);
  }
  if (missing.item.size + missing.unit.size + missing.window.size > 0) {
    const { rows } = await sql<{ kind: Kind; code: string; name: string }>`
      SELECT 'item' AS kind, code::text AS code, name FROM items WHERE code = ANY(${[...missing.item]}::text[])
      UNION ALL
      SELECT 'unit', code, name FROM units WHERE code = ANY(${[...missing.unit]}::text[])
      UNION ALL
      SELECT 'window', no, name FROM windows WHERE no = ANY(${[...missing.window]}::text[])`.execute(db);
    if (cache.size > MAX_ENTRIES) cache.clear();
    for (const kind of ['item', 'unit', 'window'] as const)
      for (const code of missing[kind]) cache.set(`${kind}:${code}`, { name: null, at: now });
    for (const r of rows) cache.set(`${r.kind}:${r.code}`, { name: r.name, at: now });
  }
  const known = cache;
  return (kind, code) => known.get(`${kind}:${code}`)?.name ?? code;
}
