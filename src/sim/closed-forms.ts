// Closed forms of SCIENCE.md for a categorical distribution refitted, generation after generation,
// on N of its own samples (Wright–Fisher drift): what a count model's diversity is predicted to do,
// drawn beside its measurements (Simulation's `analytic`).

/** E[Gini-Simpson] after t fully synthetic refits on N samples each: D₀·(1 − 1/N)^t (Wright-Fisher drift). */
export const expectedGiniSimpson = (d0: number, N: number, t: number): number => d0 * (1 - 1 / N) ** t;

/** Miller-Madow: entropy (nats) expected after one refit on N samples of a K-symbol support: h − (K − 1)/(2N), ≥ 0. */
export const expectedEntropyAfter = (h: number, K: number, N: number): number =>
  Math.max(0, h - (K - 1) / (2 * N));

/** Suresh et al.: a symbol with original count λ survives k generations with probability ≳ 1 − exp(−λ/k). */
export const survivalProbability = (lambda: number, k: number): number => 1 - Math.exp(-lambda / k);
