// The first use of the browser's number, date and collation formatting loads its locale data: 20–60 ms
// of main-thread time each on a 2-core machine, which a run paid in the middle of its first generation
// (the backend line formats the vocabulary size, the runs list dates the saved run, the table formats
// its numbers). They are loaded instead while the page is idle after opening, one to an idle period.
const warmUps: (() => unknown)[] = [
  () => (1234.5).toLocaleString('en'),
  () => new Date(0).toLocaleString(),
  () => 'a'.localeCompare('b'),
];

/** Loads the locale data in idle time (after a timeout where requestIdleCallback is missing: Safari). */
export function warmUpLocaleData(): void {
  const idle = (f: () => void) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(f, { timeout: 5000 }) : setTimeout(f);
  const next = (i: number) => {
    if (i >= warmUps.length) return;
    idle(() => {
      warmUps[i]!();
      next(i + 1);
    });
  };
  next(0);
}
