import type { Executor } from '@hcp/db';
import { sql } from 'kysely';
import { handleCache } from './handle-cache';

type Kind = 'item' | 'unit' | 'window';

/**
 * Names of items, units and windows for public pages, kept 30 s per database handle. Joining the
 * three catalogue tables into every public page cost a third of its time in PostgreSQL (bench
 * public-read); names change rarely, and a renamed one shows within 30 s. Codes not yet known are
 * fetched together in one query; a code without a row is shown as itself.
 */
const names = handleCache<string | null>(30_000, 50_000);

export async function catalogNames(
  db: Executor,
  wanted: { kind: Kind; code: string | null }[],
): Promise<(kind: Kind, code: string) => string> {
  const missing = { item: new Set<string>(), unit: new Set<string>(), window: new Set<string>() };
  for (const { kind, code } of wanted) {
    if (code !== null && names.get(db, `${kind}:${code}`) === undefined) missing[kind].add(code);
  }
  const fetched = new Map<string, string | null>();
  if (missing.item.size + missing.unit.size + missing.window.size > 0) {
    const { rows } = await sql<{ kind: Kind; code: string; name: string }>`
      SELECT 'item' AS kind, code::text AS code, name FROM items WHERE code = ANY(${[...missing.item]}::text[])
      UNION ALL
      SELECT 'unit', code, name FROM units WHERE code = ANY(${[...missing.unit]}::text[])
      UNION ALL
      SELECT 'window', no, name FROM windows WHERE no = ANY(${[...missing.window]}::text[])`.execute(db);
    for (const kind of ['item', 'unit', 'window'] as const)
      for (const code of missing[kind]) fetched.set(`${kind}:${code}`, null);
    for (const r of rows) fetched.set(`${r.kind}:${r.code}`, r.name);
    for (const [key, name] of fetched) names.set(db, key, name);
  }
  return (kind, code) => {
    const key = `${kind}:${code}`;
    return (fetched.has(key) ? fetched.get(key) : names.get(db, key)) ?? code;
  };
}
