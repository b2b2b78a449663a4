// The per-generation table the CLI prints.
import type { GenerationRecord } from '../sim/record.ts';

const COLUMNS: [string, (g: GenerationRecord) => string][] = [
  ['gen', (g) => String(g.generation)],
  ['stage', (g) => g.stage],
  ['accuracy', (g) => fmt(g.metrics.accuracy)],
  ['head', (g) => fmt(g.metrics.accuracyByPopularity.head)],
  ['tail', (g) => fmt(g.metrics.accuracyByPopularity.tail)],
  ['conf-wrong', (g) => fmt(g.metrics.confidentlyWrongRate)],
  ['fluency', (g) => fmt(g.metrics.fluency)],
  ['halluc', (g) => fmt(g.metrics.hallucinationRate)],
  ['entropy', (g) => fmt(g.metrics.corpusEntropy)],
  ['distinct2', (g) => fmt(g.metrics.distinct2)],
  ['real-ppl', (g) => fmt(g.metrics.realPerplexity, 2)],
  ['gen0-ppl', (g) => fmt(g.metrics.gen0Perplexity.mean, 2)],
  ['loss', (g) => fmt(g.losses.at(-1) ?? null)],
  ['time s', (g) => fmt((g.timings.trainMs + g.timings.sampleMs + g.timings.evalMs) / 1000, 1)],
];

/** Widest cell: room for any number in exponent notation (-1.50e+300); wider fixed notation switches to it. */
const CELL = 10;

/** `x` with `digits` decimals, or in exponent notation (2.60e+84) when that would not fit a cell. */
export function fmt(x: number | null, digits = 3): string {
  if (x === null || !Number.isFinite(x)) return '—';
  const fixed = x.toFixed(digits);
  // toFixed itself switches to exponent notation from 1e21, without the digits asked for
  return fixed.length <= CELL && !fixed.includes('e') ? fixed : x.toExponential(2);
}

/** Each column as wide as its header or a cell, and one space between columns, always. */
const widths = COLUMNS.map(([h]) => Math.max(CELL, h.length));
const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join(' ');

export const tableHeader = (): string => line(COLUMNS.map(([h]) => h));
export const tableRow = (g: GenerationRecord): string => line(COLUMNS.map(([, f]) => f(g)));

/** The table as Markdown (for docs/). */
export function markdownTable(generations: readonly GenerationRecord[]): string {
  const head = `| ${COLUMNS.map(([h]) => h).join(' | ')} |`;
  const rule = `|${COLUMNS.map(() => '---:').join('|')}|`;
  return [head, rule, ...generations.map((g) => `| ${COLUMNS.map(([, f]) => f(g)).join(' | ')} |`)].join(
    '\n',
  );
}
