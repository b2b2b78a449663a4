// Drawing one token from an add-k smoothed count distribution without materialising all V
// probabilities: seen tokens come first by descending probability, then the unseen ones, which all
// share one probability, by ascending id. Same rule as the GPT sample graph (src/model/graphs.ts):
// temperature, then keep rank < topK and exclusive cumulative probability < topP (always the top
// token), then the first kept rank whose cumulative kept mass exceeds u · (kept mass).

/** Sampling plan after validation (see validate.ts). */
export interface Plan {
  invTemperature: number;
  topK: number;
  topP: number;
}

/** A tempered distribution: seen ranks' probabilities, each unseen token's, and the seen total. */
export interface Tempered {
  invTemperature: number;
  q: Float64Array;
  qUnseen: number;
  seenMass: number;
}

/** Tempers probabilities p^(1/T), normalised; `pSeen` descending, `unseen` tokens at `pUnseen` each. */
export function temper(
  pSeen: Float64Array,
  unseen: number,
  pUnseen: number,
  invTemperature: number,
): Tempered {
  const n = pSeen.length;
  const q = new Float64Array(n);
  let qUnseen: number;
  if (invTemperature === 1) {
    q.set(pSeen);
    qUnseen = unseen ? pUnseen : 0;
  } else {
    // Relative to the top token's weight, so nothing overflows.
    const top = Math.log(n ? pSeen[0]! : pUnseen) * invTemperature;
    for (let i = 0; i < n; i++) q[i] = Math.exp(Math.log(pSeen[i]!) * invTemperature - top);
    qUnseen = unseen && pUnseen > 0 ? Math.exp(Math.log(pUnseen) * invTemperature - top) : 0;
  }
  let total = unseen * qUnseen;
  for (let i = 0; i < n; i++) total += q[i]!;
  let seenMass = 0;
  for (let i = 0; i < n; i++) seenMass += q[i]! /= total;
  return { invTemperature, q, qUnseen: qUnseen / total, seenMass };
}

/** Draws a token id with uniform `u` ∈ [0, 1); seenId(rank) and unseenId(j) map ranks to ids. */
export function drawTruncated(
  t: Tempered,
  unseen: number,
  plan: Plan,
  u: number,
  seenId: (rank: number) => number,
  unseenId: (j: number) => number,
): number {
  const { q, qUnseen: qu } = t;
  const nSeen = q.length;
  const truncated = plan.topK > 0 || plan.topP < 1;
  // Kept seen ranks form a prefix: rank 0 always, then while rank < topK and mass before < topP.
  let kept = nSeen;
  let before = t.seenMass;
  if (truncated) {
    before = 0;
    kept = 0;
    const inK = (rank: number) => plan.topK <= 0 || rank < plan.topK;
    while (kept < nSeen && (kept === 0 || (inK(kept) && before < plan.topP))) before += q[kept++]!;
  }
  let keptUnseen = 0;
  if (kept === nSeen && qu > 0) {
    const byK = plan.topK > 0 ? Math.max(0, plan.topK - nSeen) : unseen;
    const byP = before < plan.topP ? Math.ceil((plan.topP - before) / qu) : 0;
    keptUnseen = truncated ? Math.min(unseen, byK, byP) : unseen;
    if (nSeen === 0) keptUnseen = Math.max(keptUnseen, 1);
  }
  const threshold = u * (before + keptUnseen * qu);
  let cum = 0;
  for (let i = 0; i < kept; i++) {
    cum += q[i]!;
    if (cum > threshold) return seenId(i);
  }
  if (!keptUnseen) return seenId(kept - 1);
  return unseenId(Math.min(keptUnseen - 1, Math.max(0, Math.floor((threshold - cum) / qu))));
}

/** The j-th (0-based) id, in ascending order, that is not among the ascending `seen` ids. */
export function nthUnseen(seen: Int32Array, j: number): number {
  let t = j;
  for (const s of seen) {
    if (s > t) break;
    t++;
  }
  return t;
}
