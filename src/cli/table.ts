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
  ['time s', (g) => ((g.timings.trainMs + g.timings.sampleMs + g.timings.evalMs) / 1000).toFixed(1)],
];

function fmt(x: number | null, digits = 3): string {
  return x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

export const tableHeader = (): string => COLUMNS.map(([h]) => h.padStart(10)).join('');
export const tableRow = (g: GenerationRecord): string => COLUMNS.map(([, f]) => f(g).padStart(10)).join('');

/** The table as Markdown (for docs/). */
export function markdownTable(generations: readonly GenerationRecord[]): string {
  const head = `| ${COLUMNS.map(([h]) => h).join(' | ')} |`;
  const rule = `|${COLUMNS.map(() => '---:').join('|')}|`;
  return [head, rule, ...generations.map((g) => `| ${COLUMNS.map(([, f]) => f(g)).join(' | ')} |`)].join(
    '\n',
  );
}
