// docs/RESULTS.md's summary table read back as a reader sees it: per finding, the verdict and the "when
// not, why" column. An independent reading of the page, to check what the lab shows against it.
import fs from 'node:fs';

export interface ResultsRow {
  verdict: string;
  measured: string;
  reason: string;
}

/** The table's rows by finding id (the row's `(#id)` link). */
export function resultsTable(file = 'docs/RESULTS.md'): Map<string, ResultsRow> {
  const rows = new Map<string, ResultsRow>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const id = /^\| \[[^\]]*\]\(#([\w-]+)\)/.exec(line)?.[1];
    if (!id) continue;
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim().replaceAll('\\|', '|'));
    if (cells.length !== 5) throw new Error(`RESULTS.md: the row of ${id} has ${cells.length} cells, not 5`);
    const verdict = /^\*\*(.+)\*\*$/.exec(cells[3]!)?.[1];
    if (!verdict) throw new Error(`RESULTS.md: the row of ${id} has no bold verdict: '${cells[3]}'`);
    rows.set(id, { verdict, measured: cells[2]!, reason: cells[4]! });
  }
  return rows;
}
