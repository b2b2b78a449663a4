// Drawing the next token from a GPT head's outputs (model/graphs.ts outputHead): one uniform per
// row, the same rule as the n-gram engine (ngram-sample.ts) when the distribution is truncated.
//
// * greedy: the most likely token (the first on ties);
// * no truncation (topK off, topP = 1): the inverse CDF of the tempered probabilities in id order;
// * top-k / top-p: the tempered probabilities by descending rank, keep rank < topK and exclusive
//   cumulative probability < topP (always the top token), then the first kept rank whose
//   cumulative kept mass exceeds u · (kept mass).
import { drawTruncated } from './ngram-sample.ts';
import type { SamplePlan } from './validate.ts';

/** A head's outputs for B rows of V tokens: untempered log-probabilities, tempered probabilities (absent when greedy). */
export interface HeadOutputs {
  logp: Float32Array;
  probs?: Float32Array;
}

function argmax(a: Float32Array, from: number, V: number): number {
  let best = 0;
  for (let v = 1; v < V; v++) if (a[from + v]! > a[from + best]!) best = v;
  return best;
}

function inverseCdf(p: Float32Array, from: number, V: number, u: number): number {
  let total = 0;
  for (let v = 0; v < V; v++) total += p[from + v]!;
  const threshold = u * total;
  let cum = 0;
  let last = 0;
  for (let v = 0; v < V; v++) {
    const q = p[from + v]!;
    if (q > 0) last = v;
    cum += q;
    if (cum > threshold) return v;
  }
  return last; // rounding left the threshold at the very end
}

function truncated(p: Float32Array, from: number, V: number, u: number, plan: SamplePlan): number {
  const order = Array.from({ length: V }, (_, v) => v).sort((a, b) => p[from + b]! - p[from + a]! || a - b);
  const q = Float64Array.from(order, (v) => p[from + v]!);
  let mass = 0;
  for (const x of q) mass += x;
  const t = { invTemperature: plan.invTemperature, q, qUnseen: 0, seenMass: mass };
  return drawTruncated(
    t,
    0,
    plan,
    u,
    (rank) => order[rank]!,
    () => order[0]!,
  );
}

/** Tokens and their untempered log-probabilities for `rows` rows; uniform(r) is row r's draw. */
export function drawRows(
  out: HeadOutputs,
  V: number,
  rows: number,
  plan: SamplePlan,
  uniform: (row: number) => number,
): { tokens: Int32Array; logProb: Float32Array } {
  const tokens = new Int32Array(rows);
  const logProb = new Float32Array(rows);
  const cut = (plan.topK > 0 && plan.topK < V) || plan.topP < 1;
  for (let r = 0; r < rows; r++) {
    const from = r * V;
    const u = uniform(r);
    const tok = plan.greedy
      ? argmax(out.logp, from, V)
      : cut
        ? truncated(out.probs!, from, V, u, plan)
        : inverseCdf(out.probs!, from, V, u);
    tokens[r] = tok;
    logProb[r] = out.logp[from + tok]!;
  }
  return { tokens, logProb };
}
