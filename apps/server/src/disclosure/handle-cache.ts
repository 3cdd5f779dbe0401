import type { Executor } from '@hcp/db';

/**
 * Values kept for `ttlMs` per database handle (several apps with their own databases may share a
 * process, as the tests do), at most `max` per handle: a full cache is cleared, not evicted by age.
 */
export function handleCache<V>(ttlMs: number, max: number) {
  const caches = new WeakMap<Executor, Map<string, { value: V; at: number }>>();
  const of = (db: Executor) => {
    let cache = caches.get(db);
    if (!cache) {
      cache = new Map();
      caches.set(db, cache);
    }
    return cache;
  };
  return {
    /** The fresh value of `key`, or undefined when it is unknown or older than the TTL. */
    get(db: Executor, key: string): V | undefined {
      const hit = of(db).get(key);
      return hit && Date.now() - hit.at < ttlMs ? hit.value : undefined;
    },
    set(db: Executor, key: string, value: V) {
      const cache = of(db);
      if (cache.size >= max) cache.clear();
      cache.set(key, { value, at: Date.now() });
    },
  };
}
