/**
 * Pure metric functions. Statistics of an empty input are NaN ("not measured"); the run record stores
 * them as null.
 */

/** Token sequence: a plain array or a typed array. */
export type Tokens = ArrayLike<number>;

/** Occurrences of each distinct value. */
export function countValues(tokens: Tokens): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

/** Shannon entropy (nats) of a distribution given by non-negative weights (normalised here). */
export function entropyOfWeights(weights: Iterable<number>): number {
  let total = 0;
  let sumWLogW = 0;
  for (const w of weights) {
    if (w <= 0) continue;
    total += w;
    sumWLogW += w * Math.log(w);
  }
  return total > 0 ? Math.log(total) - sumWLogW / total : NaN;
}

/** Gini-Simpson index 1 − Σp² of a distribution given by non-negative weights (normalised here). */
export function giniSimpsonOfWeights(weights: Iterable<number>): number {
  let total = 0;
  let sumSq = 0;
  for (const w of weights) {
    if (w <= 0) continue;
    total += w;
    sumSq += w * w;
  }
  return total > 0 ? 1 - sumSq / (total * total) : NaN;
}

/** Entropy (nats) of the empirical unigram distribution of `tokens`. */
export const unigramEntropy = (tokens: Tokens): number => entropyOfWeights(countValues(tokens).values());

/** Gini-Simpson diversity 1 − Σp² of the empirical unigram distribution. */
export const giniSimpson = (tokens: Tokens): number => giniSimpsonOfWeights(countValues(tokens).values());

/** Number of distinct values. */
export const supportSize = (tokens: Tokens): number => countValues(tokens).size;

/** Distinct values / total values. */
export const typeTokenRatio = (tokens: Tokens): number =>
  tokens.length ? countValues(tokens).size / tokens.length : NaN;

/** Unique n-grams / total n-grams, n-grams taken within each document (never across two). */
export function distinctN(docs: readonly Tokens[], n: number): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`distinctN: n must be an integer ≥ 1, got ${n}`);
  const seen = new Set<string>();
  let total = 0;
  for (const doc of docs) {
    for (let i = 0; i + n <= doc.length; i++) {
      let key = String(doc[i]);
      for (let j = 1; j < n; j++) key += ',' + String(doc[i + j]);
      seen.add(key);
      total++;
    }
  }
  return total ? seen.size / total : NaN;
}

/** Arithmetic mean. */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length ? s / values.length : NaN;
}

/** Standard deviation; `ddof` 0 = population (default), 1 = sample. */
export function std(values: ArrayLike<number>, ddof = 0): number {
  const m = mean(values);
  if (values.length - ddof <= 0) return NaN;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i]! - m) ** 2;
  return Math.sqrt(s / (values.length - ddof));
}

/** Perplexity from a mean negative log-likelihood in nats. */
export const perplexity = (meanNll: number): number => Math.exp(meanNll);

/**
 * Expected calibration error with `bins` equal-width confidence bins on [0, 1]:
 * Σ_b (n_b / N) · |accuracy_b − mean confidence_b|. A confidence of exactly 1 falls in the last bin.
 */
export function ece(confidences: ArrayLike<number>, correct: ArrayLike<boolean>, bins = 10): number {
  if (confidences.length !== correct.length)
    throw new RangeError(`ece: ${confidences.length} confidences but ${correct.length} outcomes`);
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new RangeError(`ece: bins must be an integer ≥ 1, got ${bins}`);
  const n = new Float64Array(bins);
  const conf = new Float64Array(bins);
  const hits = new Float64Array(bins);
  for (let i = 0; i < confidences.length; i++) {
    const c = Math.min(1, Math.max(0, confidences[i]!));
    const b = Math.min(bins - 1, Math.floor(c * bins));
    n[b]!++;
    conf[b]! += c;
    if (correct[i]) hits[b]!++;
  }
  if (!confidences.length) return NaN;
  let e = 0;
  for (let b = 0; b < bins; b++) if (n[b]) e += Math.abs(hits[b]! - conf[b]!) / confidences.length;
  return e;
}

/** Share of answers that are wrong yet given with probability ≥ `threshold`. */
export function confidentlyWrongRate(
  confidences: ArrayLike<number>,
  correct: ArrayLike<boolean>,
  threshold: number,
): number {
  if (confidences.length !== correct.length)
    throw new RangeError(
      `confidentlyWrongRate: ${confidences.length} confidences but ${correct.length} outcomes`,
    );
  let k = 0;
  for (let i = 0; i < confidences.length; i++) if (!correct[i] && confidences[i]! >= threshold) k++;
  return confidences.length ? k / confidences.length : NaN;
}

/**
 * Counts per bin: bin i holds edges[i] ≤ x < edges[i+1], the last bin also holds x = its upper edge.
 * Values outside the edges (and NaN) are dropped, unless `clamp` puts them in the first / last bin.
 */
export function histogram(values: ArrayLike<number>, edges: readonly number[], clamp = false): number[] {
  const bins = edges.length - 1;
  if (bins < 1) throw new RangeError('histogram: need at least two edges');
  for (let i = 0; i < bins; i++)
    if (!(edges[i]! < edges[i + 1]!)) throw new RangeError('histogram: edges must increase strictly');
  const counts: number[] = new Array<number>(bins).fill(0);
  const lo = edges[0]!;
  const hi = edges[bins]!;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    if (x < lo || x > hi) {
      if (clamp) counts[x < lo ? 0 : bins - 1]!++;
      continue;
    }
    // Binary search for the last edge ≤ x.
    let a = 0;
    let b = bins;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (edges[m]! <= x) a = m;
      else b = m;
    }
    counts[a]!++;
  }
  return counts;
}

/** `bins + 1` geometrically spaced edges from `lo` to `hi` (both > 0), for perplexity histograms. */
export function geometricEdges(lo: number, hi: number, bins: number): number[] {
  if (!(lo > 0 && hi > lo && Number.isInteger(bins) && bins >= 1))
    throw new RangeError(`geometricEdges: need 0 < lo < hi and bins ≥ 1, got ${lo}, ${hi}, ${bins}`);
  const r = Math.log(hi / lo) / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo * Math.exp(r * i)));
}

/** Share of items that are correct. */
export function accuracy(items: readonly { correct: boolean }[]): number {
  let k = 0;
  for (const it of items) if (it.correct) k++;
  return items.length ? k / items.length : NaN;
}

/** Accuracy within each group (groups with no items are absent), keys in first-seen order. */
export function accuracyBy<T extends { correct: boolean }>(
  items: readonly T[],
  keyOf: (item: T) => string,
): Record<string, number> {
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const k = keyOf(it);
    const g = groups.get(k);
    if (g) g.push(it);
    else groups.set(k, [it]);
  }
  return Object.fromEntries([...groups].map(([k, g]) => [k, accuracy(g)]));
}

/** Euclidean distance between two checkpoints with the same parameter names and sizes. */
export function l2Distance(
  a: Readonly<Record<string, Float32Array>>,
  b: Readonly<Record<string, Float32Array>>,
): number {
  const keys = Object.keys(a);
  const extra = Object.keys(b).filter((k) => !(k in a));
  if (extra.length)
    throw new RangeError(`l2Distance: parameters only in the second set: ${extra.join(', ')}`);
  let s = 0;
  for (const k of keys) {
    const x = a[k]!;
    const y = b[k];
    if (!y) throw new RangeError(`l2Distance: parameter ${k} missing from the second set`);
    if (x.length !== y.length) throw new RangeError(`l2Distance: ${k} has ${x.length} vs ${y.length} values`);
    for (let i = 0; i < x.length; i++) s += (x[i]! - y[i]!) ** 2;
  }
  return Math.sqrt(s);
}

/** The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics; NaN when empty. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const xs = Array.from(values)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  if (!xs.length) return NaN;
  const pos = Math.min(1, Math.max(0, q)) * (xs.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(xs.length - 1, lo + 1);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

/** Share of values ≤ `limit` (NaN values count as above it); NaN when empty. */
export function shareAtMost(values: ArrayLike<number>, limit: number): number {
  let k = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! <= limit) k++;
  return values.length ? k / values.length : NaN;
}
