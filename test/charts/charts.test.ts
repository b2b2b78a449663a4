// The chart modules in headless Chromium: numbers read back from the drawn SVG (path vertices mapped
// through the axis ticks) against the data, stage bands, gaps, read-outs, appending, export.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useChartHarness } from './harness-session.ts';
import { STAGE_COLORS } from '../../src/charts/palette.ts';
import { NGRAM_ALPHA_025, NGRAM_ALPHA_1, STAGED } from './fixtures.ts';

const harness = useChartHarness();
let page: Page;
beforeAll(() => {
  page = harness.page(); // runs after the harness has opened it (hooks run in order)
});

/** Draws the accuracy panel of the STAGED run at 640 px and returns where things are. */
async function drawAccuracy() {
  return page.evaluate((generations) => {
    const { charts } = window;
    const panel = charts.metricPanels.find((p) => p.id === 'accuracy')!;
    const chart = charts.metricLines(window.newMount(), panel.options);
    chart.update({
      series: charts.metricSeries([{ label: 'run', generations }], panel.metrics(generations)),
      stages: charts.stagesOf(generations),
    });
    return chart;
  }, STAGED);
}

describe('metric-lines', () => {
  it('draws one point per generation per series, at the values the y axis says', async () => {
    await drawAccuracy();
    const r = await page.evaluate(() => {
      const svg = document.querySelector('svg')!;
      const { pathSegments, invertAxis, axisTicks } = window.charts.inspect;
      const y = invertAxis(svg, 'y');
      const x = invertAxis(svg, 'x');
      const lines = [...svg.querySelectorAll('g.line')].map((g) => ({
        key: g.getAttribute('data-key'),
        points: pathSegments(g.querySelector('path.stroke')!.getAttribute('d')).flat(),
      }));
      return {
        lines: lines.map((l) => ({
          key: l.key,
          gens: l.points.map((p) => x(p[0])),
          values: l.points.map((p) => y(p[1])),
        })),
        yTicks: axisTicks(svg, 'y').map((t) => t.label),
        xTicks: axisTicks(svg, 'x').map((t) => t.label),
      };
    });
    expect(r.lines.map((l) => l.key)).toEqual([
      '0/accuracy',
      '0/format:declarative',
      '0/format:qa',
      '0/format:instruction',
    ]);
    for (const l of r.lines) {
      expect(l.gens).toHaveLength(8);
      l.gens.forEach((g, i) => expect(g).toBeCloseTo(i, 2));
    }
    const expected = [
      STAGED.map((g) => g.metrics.accuracy!),
      STAGED.map((g) => g.metrics.accuracyByFormat.declarative!),
      STAGED.map((g) => g.metrics.accuracyByFormat.qa!),
      STAGED.map((g) => g.metrics.accuracyByFormat.instruction!),
    ];
    r.lines.forEach((l, i) => l.values.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 2)));
    // A fixed [0, 1] domain; integer generations from 0 to 7.
    expect(r.yTicks[0]).toBe('0.0');
    expect(r.yTicks.at(-1)).toBe('1.0');
    expect(r.xTicks[0]).toBe('0');
    expect(r.xTicks.at(-1)).toBe('7');
    expect(r.xTicks.every((t) => Number.isInteger(Number(t)))).toBe(true);
  });

  it('shades each stage over exactly its generations and says what the stages mean', async () => {
    await drawAccuracy();
    const r = await page.evaluate(() => {
      const svg = document.querySelector('svg')!;
      const ticks = window.charts.inspect.axisTicks(svg, 'x');
      const xOf = (g: number) => ticks.find((t) => t.value === g)?.pos;
      const bands = [...svg.querySelectorAll('g.stage-band')].map((b) => {
        const rect = b.querySelector('rect.tint')!;
        const x0 = Number(rect.getAttribute('x'));
        const text = b.querySelector('text')!;
        return {
          stage: b.getAttribute('data-stage'),
          letter: text.textContent!.slice(0, 1),
          // The name sits in the ribbon above the plot, never over the lines.
          aboveLines: Number(text.getAttribute('y')) < Number(rect.getAttribute('y')),
          ribbon: b.querySelector('rect.ribbon')!.getAttribute('fill'),
          covers: [0, 1, 2, 3, 4, 5, 6, 7].filter((g) => {
            const px = xOf(g)!;
            return px >= x0 && px <= x0 + Number(rect.getAttribute('width'));
          }),
        };
      });
      const legend = [...svg.querySelectorAll('g.legend-item')].map((g) => ({
        label: g.querySelector('text.legend-label')!.textContent,
        title: g.querySelector('title')?.textContent ?? '',
      }));
      const names = [...svg.querySelectorAll('g.stage-band text')].map((t) => t.textContent);
      return { bands, names, legend, label: svg.getAttribute('aria-label'), role: svg.getAttribute('role') };
    });
    expect(r.bands).toEqual(
      (['A', 'B', 'C'] as const).map((stage, i) => ({
        stage,
        letter: stage,
        aboveLines: true,
        ribbon: STAGE_COLORS[stage].fill,
        covers: [
          [0, 1, 2],
          [3, 4, 5],
          [6, 7],
        ][i],
      })),
    );
    // Wide enough here for the names in words.
    expect(r.names).toEqual([
      'A · knowledge preserved',
      'B · knowledge collapse, still fluent',
      'C · fluency collapse',
    ]);
    expect(r.legend.map((l) => l.label)).toEqual([
      'overall',
      'declarative',
      'qa',
      'instruction',
      'knowledge preserved',
      'knowledge collapse, still fluent',
      'fluency collapse',
    ]);
    expect(r.legend[5]!.title).toMatch(/^Stage B: Knowledge collapse/);
    expect(r.role).toBe('img');
    expect(r.label).toContain('overall (run): 80.0% at generation 0, 10.0% at generation 7');
    expect(r.label).toContain(
      'Stages: A (knowledge preserved) from 0 to 2, B (knowledge collapse, still fluent) from 3 to 5, C (fluency collapse) from 6 to 7',
    );
  });

  it('leaves a gap where a value was not measured and marks an isolated point', async () => {
    const r = await page.evaluate((generations) => {
      const { charts } = window;
      const svg = () => document.querySelector('svg')!;
      const segments = (key: string) =>
        charts.inspect
          .pathSegments(svg().querySelector(`g.line[data-key="${key}"] path.stroke`)!.getAttribute('d'))
          .map((s) => s.length);
      const markers = (key: string) =>
        svg()
          .querySelector(`g.line[data-key="${key}"] path.markers`)!
          .getAttribute('data-generations')!
          .split(' ')
          .filter(Boolean)
          .map(Number);
      const quality = charts.metricPanels.find((p) => p.id === 'quality')!;
      const a = charts.metricLines(window.newMount(), quality.options);
      a.update({
        series: charts.metricSeries([{ label: 'run', generations }], quality.metrics(generations)),
      });
      const fluency = { segments: segments('0/fluency'), markers: markers('0/fluency') };
      const b = charts.popularityLines(window.newMount());
      b.update({ series: charts.metricSeries([{ label: 'run', generations }], charts.popularityMetrics) });
      const tail = { segments: segments('0/popularity:tail'), markers: markers('0/popularity:tail') };
      const labels = [...svg().querySelectorAll('g.direct-labels text')].map((t) => t.textContent);
      b.reset();
      const afterReset = {
        lines: svg().querySelectorAll('g.line').length,
        bands: svg().querySelectorAll('g.stage-band').length,
        label: svg().getAttribute('aria-label'),
      };
      return { fluency, tail, labels, afterReset };
    }, STAGED);
    expect(r.fluency.segments).toEqual([4, 3]); // generations 0–3, then 5–7
    expect(r.fluency.markers).toEqual([0, 1, 2, 3, 5, 6, 7]);
    expect(r.tail.segments).toEqual([1]);
    expect(r.tail.markers).toEqual([6]);
    expect(r.labels.sort()).toEqual(['head', 'tail', 'torso']);
    expect(r.afterReset).toEqual({ lines: 0, bands: 0, label: 'Accuracy by popularity: no data yet.' });
  });

  it('shows every series at the hovered generation, and steps with the arrow keys', async () => {
    await drawAccuracy();
    const box = await page.locator('svg').boundingBox();
    const x3 = await page.evaluate(
      () =>
        window.charts.inspect.axisTicks(document.querySelector('svg')!, 'x').find((t) => t.value === 3)!.pos,
    );
    await page.mouse.move(box!.x + x3 + 2, box!.y + 120);
    const readout = () =>
      page.evaluate(() => {
        const box = document.querySelector<HTMLElement>('[data-chart-readout]')!;
        const rule = document.querySelector('svg [data-interactive] line')!;
        return {
          visible: box.style.display !== 'none',
          text: [...box.children].map((c) => c.textContent),
          rule: Number(rule.getAttribute('x1')),
        };
      });
    let r = await readout();
    expect(r.visible).toBe(true);
    expect(r.rule).toBeCloseTo(x3, 1);
    expect(r.text).toEqual([
      'generation 3 · stage B: knowledge collapse, still fluent',
      'overall: 50.0%',
      'declarative: 60.0%',
      'qa: 55.0%',
      'instruction: 60.0%',
    ]);
    await page.mouse.move(0, 0);
    expect((await readout()).visible).toBe(false);

    await page.focus('svg');
    expect((await readout()).text[0]).toBe('generation 3 · stage B: knowledge collapse, still fluent');
    await page.keyboard.press('ArrowLeft');
    expect((await readout()).text[0]).toBe('generation 2 · stage A: knowledge preserved');
    await page.keyboard.press('End');
    r = await readout();
    expect(r.text.slice(0, 2)).toEqual(['generation 7 · stage C: fluency collapse', 'overall: 10.0%']);
    await page.keyboard.press('Escape');
    expect((await readout()).visible).toBe(false);
  });

  it('overlays runs with their own dash and marker, closed forms dashed, one point per generation', async () => {
    const r = await page.evaluate(
      ([a, b]) => {
        const { charts } = window;
        const entropy = charts.metricPanels.find((p) => p.id === 'entropy')!;
        const runs = [
          { label: 'α = 1', generations: a },
          { label: 'α = 0.25', generations: b },
        ];
        const chart = charts.metricLines(window.newMount(), entropy.options);
        chart.update({ series: charts.metricSeries(runs, entropy.metrics(a)), stages: charts.stagesOf(a) });
        const svg = document.querySelector('svg')!;
        return {
          lines: [...svg.querySelectorAll('g.line')].map((g) => ({
            key: g.getAttribute('data-key'),
            dash: g.querySelector('path.stroke')!.getAttribute('stroke-dasharray'),
            points: charts.inspect.pathSegments(g.querySelector('path.stroke')!.getAttribute('d')).flat()
              .length,
            marker: g.querySelector('path.markers')!.getAttribute('d')!.slice(0, 40),
          })),
          legend: [...svg.querySelectorAll('text.legend-label')].map((t) => t.textContent),
        };
      },
      [NGRAM_ALPHA_1.generations, NGRAM_ALPHA_025.generations] as const,
    );
    expect(r.lines.map((l) => [l.key, l.dash])).toEqual([
      ['0/model', null],
      ['0/samples', null],
      ['0/corpus', null],
      ['0/corpus:analytic', '6 4'],
      ['1/model', '1.5 3'],
      ['1/samples', '1.5 3'],
      ['1/corpus', '1.5 3'],
      ['1/corpus:analytic', '6 4'],
    ]);
    const measured = (run: typeof NGRAM_ALPHA_1, key: 'modelEntropy' | 'corpusEntropy') =>
      run.generations.filter((g) => g.metrics[key] !== null).length;
    expect(r.lines[0]!.points).toBe(measured(NGRAM_ALPHA_1, 'modelEntropy'));
    expect(r.lines[6]!.points).toBe(measured(NGRAM_ALPHA_025, 'corpusEntropy'));
    expect(r.lines[3]!.points).toBe(NGRAM_ALPHA_1.generations.length);
    expect(r.lines[0]!.marker).not.toBe(r.lines[4]!.marker);
    expect(r.legend).toEqual(expect.arrayContaining(['corpus, closed form', 'α = 1', 'α = 0.25']));
  });

  it('writes data strings as text, never as markup', async () => {
    const r = await page.evaluate(() => {
      const chart = window.charts.metricLines(window.newMount(), { title: '<b>t</b>', yLabel: 'y' });
      const label = '<img src=x onerror="window.pwned=1">';
      chart.update({ series: [{ key: 'k', label, run: label, points: [{ generation: 0, value: 1 }] }] });
      const svg = chart.toSvgString();
      return {
        images: document.querySelectorAll('img').length,
        legend: document.querySelector('text.legend-label')!.textContent,
        title: document.querySelector('text.title')!.textContent,
        escaped: svg.includes('&lt;img src=x'),
      };
    });
    expect(r).toEqual({
      images: 0,
      legend: '<img src=x onerror="window.pwned=1">',
      title: '<b>t</b>',
      escaped: true,
    });
  });

  it('follows its container from 360 px to 800 px, keeping the legend inside', async () => {
    const r = await page.evaluate(async (generations) => {
      const { charts } = window;
      const panel = charts.metricPanels.find((p) => p.id === 'accuracy')!;
      const el = window.newMount(360);
      const chart = charts.metricLines(el, panel.options);
      chart.update({
        series: charts.metricSeries([{ label: 'run', generations }], panel.metrics(generations)),
        stages: charts.stagesOf(generations),
      });
      const svg = document.querySelector('svg')!;
      const right = () =>
        Math.max(...[...svg.querySelectorAll('g.legend-item')].map((g) => g.getBoundingClientRect().right)) -
        svg.getBoundingClientRect().left;
      const narrow = { width: Number(svg.getAttribute('width')), legendRight: right() };
      el.parentElement!.style.width = '800px';
      await new Promise((r) => setTimeout(r, 100));
      return { narrow, wide: Number(svg.getAttribute('width')) };
    }, STAGED);
    expect(r.narrow.width).toBe(360);
    expect(r.narrow.legendRight).toBeLessThanOrEqual(360);
    expect(r.wide).toBe(800);
  });
});

describe('cost of an update', () => {
  it('redraws 200 generations × 12 series, and draws 10,000 appended losses, well within a frame', async () => {
    const r = await page.evaluate(async () => {
      const { charts } = window;
      const chart = charts.metricLines(window.newMount(), { title: 't', yLabel: 'y', yDomain: [0, 1] });
      const series = Array.from({ length: 12 }, (_, k) => ({
        key: String(k),
        label: `metric ${k % 4}`,
        run: `run ${Math.floor(k / 4)}`,
        points: [] as { generation: number; value: number }[],
      }));
      const stages: { generation: number; stage: 'A' | 'B' | 'C' }[] = [];
      const times: number[] = [];
      for (let g = 0; g < 200; g++) {
        for (const s of series) s.points.push({ generation: g, value: (Math.sin(g / 9 + +s.key) + 1) / 2 });
        stages.push({ generation: g, stage: g < 60 ? 'A' : g < 140 ? 'B' : 'C' });
        const t0 = performance.now();
        chart.update({ series: series.map((s) => ({ ...s, points: [...s.points] })), stages: [...stages] });
        times.push(performance.now() - t0);
      }
      // Time the loss chart's draws, which it defers to animation frames.
      const draws: number[] = [];
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) =>
        raf((t) => {
          const t0 = performance.now();
          cb(t);
          draws.push(performance.now() - t0);
        });
      const loss = charts.lossLine(window.newMount());
      const losses: number[] = [];
      let longest = 0;
      for (let batch = 0; batch < 100; batch++) {
        for (let i = 0; i < 100; i++) losses.push(2 + Math.random());
        const t0 = performance.now();
        loss.update({ generation: 0, losses });
        longest = Math.max(longest, performance.now() - t0);
        await new Promise((r) => raf(() => raf(r)));
      }
      // Redraws are throttled (at most one per 200 ms): wait for the one that draws the last batch.
      const steps = () => Number(document.querySelector('path.loss')!.getAttribute('data-steps'));
      for (let i = 0; i < 100 && steps() < 10_000; i++) await new Promise((r) => setTimeout(r, 20));
      window.requestAnimationFrame = raf;
      draws.sort((a, b) => a - b);
      const drawn = steps();
      times.sort((a, b) => a - b);
      return {
        median: times[100]!,
        worst: times.at(-1)!,
        longest,
        draws: draws.length,
        drawMedian: draws[draws.length >> 1]!,
        drawWorst: draws.at(-1)!,
        drawn,
      };
    });
    // Generous bounds: this machine's 2 cores are shared; typical figures are a few milliseconds.
    expect(r.median).toBeLessThan(20);
    expect(r.worst).toBeLessThan(100);
    expect(r.longest).toBeLessThan(25); // update only records the new steps (a GC pause can land in it)
    expect(r.drawn).toBe(10_000);
    // 100 batches over ~3 s of frames, redrawn at most every 200 ms: far fewer draws than batches.
    expect(r.draws).toBeGreaterThanOrEqual(5);
    expect(r.draws).toBeLessThan(50);
    expect(r.drawMedian).toBeLessThan(10);
    expect(r.drawWorst).toBeLessThan(50);
  });
});
