// The first use of the browser's number, date and collation formatting loads its locale data: 20–60 ms
// of main-thread time each on a 2-core machine, which a run paid in the middle of its start (the backend
// line formats the vocabulary size, the runs list dates the saved run, the table formats its numbers).
// They are loaded instead as the page opens, each in a task of its own right after the page is mounted
// (an idle callback came too late: the charts' first draws keep the page busy for a while after it opens,
// and a run started at once met the warm-up in its first second).
const warmUps: (() => unknown)[] = [
  () => (1234.5).toLocaleString('en'),
  () => new Date(0).toLocaleString(),
  () => 'a'.localeCompare('b'),
];

/** Loads the locale data, one task each, as soon as the page can. */
export function warmUpLocaleData(): void {
  for (const warmUp of warmUps) setTimeout(warmUp);
}
