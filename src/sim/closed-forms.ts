// Closed forms of SCIENCE.md for a categorical distribution refitted, generation after generation,
// on N of its own samples (Wright–Fisher drift): what a count model's diversity is predicted to do,
// drawn beside its measurements (Simulation's `analytic`).

/** E[Gini-Simpson] after t fully synthetic refits on N samples each: D₀·(1 − 1/N)^t (Wright-Fisher drift). */
export const expectedGiniSimpson = (d0: number, N: number, t: number): number => d0 * (1 - 1 / N) ** t;

/** Below this a binomial probability is dropped: the terms left out change the sum by < 1e-15. */
const NEGLIGIBLE = 1e-20;

/**
 * Exact E[plug-in entropy] (nats) of M i.i.d. draws from the distribution ∝ `weights`:
 * Σᵢ Σ_{k=1..M} C(M, k) pᵢᵏ (1 − pᵢ)^(M−k) · (−(k/M) ln(k/M)). Each binomial is summed outward from
 * its mode by the ratio of successive terms until they fall below 1e-20, then divided by the
 * probability summed (1 up to rounding), and equal weights are
 * summed once, so the cost is about 20·√M per distinct weight. Miller–Madow's H − (K − 1)/(2M) is its
 * large-M limit. NaN for M < 1 or no positive weight.
 */
export function expectedPluginEntropy(weights: Iterable<number>, M: number): number {
  if (!Number.isInteger(M)) throw new RangeError(`expectedPluginEntropy: M must be an integer, got ${M}`);
  const multiplicity = new Map<number, number>();
  let total = 0;
  for (const w of weights) {
    if (!(Number.isFinite(w) && w >= 0))
      throw new RangeError(`expectedPluginEntropy: weights must be finite and ≥ 0, got ${w}`);
    if (w === 0) continue;
    total += w;
    multiplicity.set(w, (multiplicity.get(w) ?? 0) + 1);
  }
  if (M < 1 || total === 0) return NaN;
  const logFactorial = new Float64Array(M + 1);
  for (let i = 1; i <= M; i++) logFactorial[i] = logFactorial[i - 1]! + Math.log(i);
  const term = (k: number) => (k === 0 ? 0 : -(k / M) * Math.log(k / M));
  let h = 0;
  for (const [w, n] of multiplicity) {
    const p = w / total;
    // A symbol drawn every time contributes −1·ln 1 = 0.
    if (p >= 1) continue;
    const odds = p / (1 - p);
    const mode = Math.min(M, Math.floor((M + 1) * p));
    const atMode = Math.exp(
      logFactorial[M]! -
        logFactorial[mode]! -
        logFactorial[M - mode]! +
        mode * Math.log(p) +
        (M - mode) * Math.log1p(-p),
    );
    let s = atMode * term(mode);
    let mass = atMode;
    for (let k = mode, q = atMode; k < M && q > NEGLIGIBLE; k++) {
      q *= ((M - k) / (k + 1)) * odds;
      s += q * term(k + 1);
      mass += q;
    }
    for (let k = mode, q = atMode; k > 0 && q > NEGLIGIBLE; k--) {
      q *= k / (M - k + 1) / odds;
      s += q * term(k - 1);
      mass += q;
    }
    // The probabilities sum to 1 but for the terms dropped: dividing by their sum cancels the rounding
    // of the log-factorials in the mode's probability.
    h += (n * s) / mass;
  }
  return h;
}

/** Suresh et al.: a symbol with original count λ survives k generations with probability ≳ 1 − exp(−λ/k). */
export const survivalProbability = (lambda: number, k: number): number => 1 - Math.exp(-lambda / k);
