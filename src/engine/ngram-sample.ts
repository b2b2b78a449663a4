// Drawing one token from an add-k smoothed count distribution without materialising all V
// probabilities: seen tokens come first by descending probability, then the unseen ones, which all
// share one probability, by ascending id. Same rule as the GPT sample graph (src/model/graphs.ts).

/** Sampling plan after validation (see validate.ts). */
export interface Plan {
  invTemperature: number;
  topK: number;
  topP: number;
}

/**
 * Draws a rank from a distribution whose first `nSeen` ranks have probabilities pSeen(i) (descending)
 * followed by `unseen` ranks sharing probability pUnseen; returns the chosen token id.
 */
export function drawTruncated(
  nSeen: number,
  pSeen: (i: number) => number,
  unseen: number,
  pUnseen: number,
  plan: Plan,
  u: number,
  seenId: (i: number) => number,
  unseenId: (j: number) => number,
): number {
  // Tempered weights relative to the top token's, then normalised.
  const top = Math.log(nSeen ? pSeen(0) : pUnseen) * plan.invTemperature;
  const weight = (p: number) => Math.exp(Math.log(p) * plan.invTemperature - top);
  const w = Array.from({ length: nSeen }, (_, i) => weight(pSeen(i)));
  const wu = unseen ? weight(pUnseen) : 0;
  const total = w.reduce((a, b) => a + b, 0) + unseen * wu;
  const inK = (rank: number) => plan.topK <= 0 || rank < plan.topK;
  // Kept seen ranks form a prefix: rank 0 always, then while rank < topK and mass before < topP.
  let before = 0;
  let kept = 0;
  while (kept < nSeen && (kept === 0 || (inK(kept) && before < plan.topP))) before += w[kept++]! / total;
  const qu = wu / total;
  let keptUnseen = 0;
  if (kept === nSeen && qu > 0) {
    const byK = plan.topK > 0 ? Math.max(0, plan.topK - nSeen) : unseen;
    const byP = before < plan.topP ? Math.ceil((plan.topP - before) / qu) : 0;
    keptUnseen = Math.min(unseen, byK, byP);
    if (nSeen === 0) keptUnseen = Math.max(keptUnseen, 1);
  }
  const threshold = u * (before + keptUnseen * qu);
  let cum = 0;
  for (let i = 0; i < kept; i++) {
    cum += w[i]! / total;
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
