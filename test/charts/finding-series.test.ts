// The findings gallery's small multiples from the committed run records of docs/results: for every
// finding, each chart draws one line per arm in the arm's own colour (at most three lines), the closed
// form dashed in its arm's colour, and the arm's values as the finding's metric reads them.
import { describe, expect, it } from 'vitest';
import { armChartOptions, armGroups, armSeries, type ArmRun } from '../../src/charts/finding-series.ts';
import { readResults } from '../../src/cli/reproduce-report.ts';
import { findingById, findings } from '../../src/findings/findings.ts';

const { manifest, runs } = readResults('docs/results');

/** Each arm of the finding with its first seed's record, as the gallery has them after Run all. */
const armsOf = (id: string): ArmRun[] => {
  const m = manifest.findings.find((x) => x.id === id)!;
  return findingById(id)!.arms.map((a) => ({
    id: a.id,
    label: a.label,
    record: runs.get(m.arms.find((x) => x.id === a.id)!.files[0]!)!,
  }));
};

describe('armSeries', () => {
  it('draws at most three lines per chart, one colour per arm, named after the arms', () => {
    for (const f of findings) {
      const arms = armsOf(f.id);
      for (const chart of f.charts) {
        // Drawn in groups of at most three arms; every arm in exactly one group, in the finding's order.
        const groups = armGroups(arms);
        expect(groups.flatMap((g) => g.arms.map((a) => a.id))).toEqual(f.arms.map((a) => a.id));
        const colors: string[] = [];
        for (const g of groups) {
          const series = armSeries(chart, g.arms, g.first);
          expect(series.filter((s) => !s.analytic).length, `${f.id} ${chart.key}`).toBeLessThanOrEqual(3);
          const measured = series.filter((s) => !s.analytic);
          expect(measured.map((s) => s.label)).toEqual(g.arms.map((a) => a.label));
          for (const s of measured) colors.push(s.color ?? '');
          for (const s of series.filter((x) => x.analytic))
            expect(s.color).toBe(measured.find((m) => s.key.startsWith(m.key.split('/')[0]!))!.color);
        }
        // One colour per arm across the finding's charts.
        expect(new Set(colors).size).toBe(f.arms.length);
      }
    }
  });

  it('reads each arm’s values from its own record, generation by generation', () => {
    const arms = armsOf('knowledge-collapse');
    const [accuracy] = armSeries(findingById('knowledge-collapse')!.charts[0]!, arms);
    const record = arms[0]!.record!;
    expect(accuracy!.points).toEqual(
      record.generations.map((g) => ({ generation: g.generation, value: g.metrics.accuracy })),
    );
    // A count model's closed form is drawn beside its measurement, dashed, from the same run.
    const drift = armsOf('ngram-drift');
    const [measured, closed] = armSeries(findingById('ngram-drift')!.charts[0]!, drift);
    expect(closed!.analytic).toBe(true);
    expect(closed!.label).toBe('closed form');
    expect(closed!.points.at(-1)!.value).toBe(drift[0]!.record!.generations.at(-1)!.analytic!.giniSimpson);
    expect(measured!.points.at(-1)!.value).toBe(drift[0]!.record!.generations.at(-1)!.metrics.giniSimpson);
  });

  it('keeps an arm’s colour while the arms before it have not run, and draws nothing for those', () => {
    const f = findingById('keep-real')!;
    const all = armSeries(f.charts[0]!, armsOf('keep-real'));
    const later = armSeries(
      f.charts[0]!,
      armsOf('keep-real').map((a, i) => (i === 2 ? a : { ...a, record: null })),
    );
    expect(later.map((s) => [s.label, s.color])).toEqual([[all[2]!.label, all[2]!.color]]);
  });
});

describe('armChartOptions', () => {
  it('fixes the x axis to the finding’s generations, and moves a parenthesis under the title', () => {
    const entropy = findingById('ngram-drift')!.charts[1]!;
    expect(entropy.title).toBe(
      'entropy of samples, nats (dashed: generation 0 less the exactly expected losses)',
    );
    expect(armChartOptions(entropy, 50)).toMatchObject({
      title: 'Entropy of samples, nats',
      yLabel: 'dashed: generation 0 less the exactly expected losses',
      xDomain: [0, 50],
    });
    expect(armChartOptions(findingById('tce')!.charts[0]!, 8)).toMatchObject({
      title: 'Factual accuracy',
      yLabel: '',
    });
  });
});
