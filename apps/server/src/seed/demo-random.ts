/**
 * Seeded randomness for the demo data. The demo catalogue must be identical on every run (tests,
 * benchmarks and screenshots depend on it), so nothing here touches Math.random or the clock.
 */

/** A small deterministic pseudo-random generator (mulberry32) with the helpers the seed needs. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    // mulberry32: tiny, fast, and good enough for picking demo names; not for anything secret.
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element; the list must not be empty. */
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  /** An element biased toward the front of the list (for frequency-ordered lists). */
  pickFront<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() ** 1.8 * list.length)]!;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(list: readonly T[]): T[] {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/** An independent generator for one part of the data, so that changing one part leaves the others. */
export function subRng(seed: number, salt: number): Rng {
  return new Rng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt, 0xc2b2ae35));
}

/**
 * Splits `total` into integer shares proportional to `weights`, each at least `min` (largest
 * remainder method, so the shares add up to exactly max(total, min × count)).
 */
export function distribute(total: number, weights: readonly number[], min = 0): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const spare = Math.max(0, total - min * n);
  const sum = weights.reduce((a, w) => a + w, 0);
  const exact = weights.map((w) => (sum > 0 ? (spare * w) / sum : spare / n));
  const shares = exact.map((x) => Math.floor(x));
  let left = spare - shares.reduce((a, s) => a + s, 0);
  // Hand the remaining units to the largest fractions; ties go to the earlier index.
  const order = exact.map((x, i) => ({ i, f: x - Math.floor(x) })).sort((a, b) => b.f - a.f || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]! += 1;
    left--;
  }
  return shares.map((s) => s + min);
}
