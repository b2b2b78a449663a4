/**
 * The project's one source of seeded pseudo-random numbers, used by every layer (world generation, the
 * engines' initial weights and sampling, the simulation's mixing and shuffling), so that a seed
 * reproduces a run exactly on any backend. A stream is an `Rng` (sfc32, seeded through splitmix32);
 * independent streams are derived from a seed and a label with `deriveSeed` / `deriveRng`, so no stream
 * disturbs another. It lives in world/, the bottom layer, so that model, engine and sim can all import it.
 */

/** A seed: a number (used as its low 32 bits) or any string (hashed). */
export type Seed = number | string;

/** 32-bit FNV-1a hash of a string, finished with a murmur3 avalanche. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return avalanche(h);
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Reduce a seed to an unsigned 32-bit integer. */
export function seedToU32(seed: Seed): number {
  if (typeof seed === 'string') return hashString(seed);
  if (!Number.isFinite(seed)) throw new Error(`seed must be finite, got ${seed}`);
  // Fold in the high bits of large integers so that e.g. 2**32 + 1 differs from 1.
  const hi = Math.floor(seed / 2 ** 32);
  return ((seed >>> 0) ^ Math.imul(hi | 0, 0x9e3779b1)) >>> 0;
}

/** Seed of the independent child stream `label` of `seed`. */
export function deriveSeed(seed: Seed, label: string): number {
  return avalanche((seedToU32(seed) ^ Math.imul(hashString(label), 0x9e3779b1)) + 0x6d2b79f5);
}

/** Build cumulative sums of non-negative weights, for `Rng.sampleCumulative`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(w >= 0)) throw new Error(`weight ${i} is ${w}; weights must be non-negative`);
    acc += w;
    out[i] = acc;
  }
  return out;
}

/** Zipf weights 1/r^s for ranks r = 1..n. */
export function zipfWeights(n: number, s: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
}

/** A deterministic random stream (sfc32). */
export class Rng {
  /** The 32-bit seed this stream started from; `child` derives from it, not from the current state. */
  readonly seed: number;
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: Seed) {
    this.seed = seedToU32(seed);
    // splitmix32 expands the seed into four well-mixed state words.
    let x = this.seed;
    const split = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Restore a stream from `state()` output. */
  static fromState(state: readonly number[], seed = 0): Rng {
    if (state.length !== 4) throw new Error('an Rng state has four words');
    const r = new Rng(seed);
    [r.a, r.b, r.c, r.d] = state.map((v) => v >>> 0) as [number, number, number, number];
    return r;
  }

  /** The current internal state (four 32-bit words), for checkpointing. */
  state(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  /** Next unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n >= 1)) throw new Error(`int(n) needs n >= 1, got ${n}`);
    return Math.floor(this.next() * Math.floor(n));
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element. */
  pick<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new Error('pick from an empty array');
    return arr[this.int(arr.length)]!;
  }

  /** Shuffle in place (Fisher-Yates) and return the same array. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i]!;
      arr[i] = arr[j]!;
      arr[j] = t;
    }
    return arr;
  }

  /** Standard normal variate (Box-Muller). */
  normal(mean = 0, std = 1): number {
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Index drawn with probability proportional to `weights`. */
  weighted(weights: readonly number[]): number {
    return this.sampleCumulative(cumulative(weights));
  }

  /** Index drawn from cumulative weights (see `cumulative`); binary search, so cheap to repeat. */
  sampleCumulative(cum: Float64Array): number {
    const total = cum[cum.length - 1];
    if (total === undefined || !(total > 0)) throw new Error('weights must have a positive sum');
    const x = this.next() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** An independent stream named `label`, derived from this stream's seed (not its current state). */
  child(label: string): Rng {
    return new Rng(deriveSeed(this.seed, label));
  }

  /** A new stream seeded from this stream's next output (advances this stream). */
  fork(): Rng {
    return new Rng(this.u32());
  }
}

/** The independent stream `label` of `seed`. */
export function deriveRng(seed: Seed, label: string): Rng {
  return new Rng(deriveSeed(seed, label));
}
