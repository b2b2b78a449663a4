/**
 * Indices of at most `k` items spread evenly over `0 … n − 1`, always keeping the first and the last
 * (e.g. which of 200 generations to draw as lines, or to list in a read-out).
 */
export function pickEvenly(n: number, k: number): number[] {
  if (n <= 0 || k <= 0) return [];
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  if (k === 1) return [n - 1];
  return [...new Set(Array.from({ length: k }, (_, j) => Math.round((j * (n - 1)) / (k - 1))))];
}
