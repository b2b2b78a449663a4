// Which tokens of a long context the model sees.
//
// The model has learned absolute positions 0 … T − 1 and is trained on packed windows of T tokens
// that start anywhere in a document. A context of n ≤ T tokens is seen whole. A longer one is seen
// from a window start that moves in strides of S = T/2: the start is the smallest multiple of S that
// leaves at most T tokens, so the model sees between T − S + 1 and T of the latest tokens, always at
// positions counted from the window start.
//
// Why strides and not "the last T tokens": with a cache of keys and values (incremental decoding),
// a window that slides by one token moves every cached token to a new position, so every step past
// T would recompute the whole window. With strides, a slide happens once every S tokens: the T − S
// kept tokens are re-run at their new positions (one window pass) and decoding continues one
// position per step. Every token is computed exactly as a full recompute of its window would
// compute it, so the cached and uncached paths give the same samples.
//
// Why not rotary or ALiBi positions with a rolling cache: with more than one layer, a rolling cache
// is not equal to any recompute over a T-token window (the keys of layer ≥ 2 carry context from
// tokens that have left the window), so it would define a different model — one never trained on
// the context it then sees. The strided window keeps the trained model, its parameters and
// checkpoints, and gives the same samples as before for the first T tokens of every document.

/** Tokens a window slides by when it is full: T/2 (at least 1). */
export const windowStride = (T: number): number => Math.max(1, Math.floor(T / 2));

/** Index of the first token the model sees in a context of n tokens (window length n − start ≤ T). */
export function windowStart(n: number, T: number): number {
  if (n <= T) return 0;
  const S = windowStride(T);
  return Math.ceil((n - T) / S) * S;
}
