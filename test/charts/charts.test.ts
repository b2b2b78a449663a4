// The chart modules in headless Chromium: numbers read back from the drawn SVG (path vertices mapped
// through the axis ticks) against the data, stage bands, gaps, read-outs, appending, export.
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startViteServer } from '../helpers/vite-server.ts';
import { NGRAM_ALPHA_025, NGRAM_ALPHA_1, STAGED } from './fixtures.ts';

let server: ViteDevServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  const s = await startViteServer();
  server = s.server;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${s.url}/test/charts/harness.html`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(() => {
  errors.length = 0;
});

afterEach(() => {
  expect(errors, 'errors in the page console').toEqual([]);
});

/** Waits for two animation frames (ResizeObserver and the loss chart draw on the next one). */
const frames = () =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

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
        const rect = b.querySelector('rect')!;
        const x0 = Number(rect.getAttribute('x'));
        return {
          stage: b.getAttribute('data-stage'),
          letter: b.querySelector('text')!.textContent,
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
      return { bands, legend, label: svg.getAttribute('aria-label'), role: svg.getAttribute('role') };
    });
    expect(r.bands).toEqual([
      { stage: 'A', letter: 'A', covers: [0, 1, 2] },
      { stage: 'B', letter: 'B', covers: [3, 4, 5] },
      { stage: 'C', letter: 'C', covers: [6, 7] },
    ]);
    expect(r.legend.map((l) => l.label)).toEqual([
      'overall',
      'declarative',
      'qa',
      'instruction',
      'knowledge preserved',
      'knowledge collapsed, still fluent',
      'fluency collapsed',
    ]);
    expect(r.legend[5]!.title).toMatch(/^Stage B: Knowledge collapse/);
    expect(r.role).toBe('img');
    expect(r.label).toContain('overall (run): 80.0% at generation 0, 10.0% at generation 7');
    expect(r.label).toContain('Stages: A from 0 to 2, B from 3 to 5, C from 6 to 7');
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
      'generation 3 · stage B',
      'overall: 50.0%',
      'declarative: 60.0%',
      'qa: 55.0%',
      'instruction: 60.0%',
    ]);
    await page.mouse.move(0, 0);
    expect((await readout()).visible).toBe(false);

    await page.focus('svg');
    expect((await readout()).text[0]).toBe('generation 3 · stage B');
    await page.keyboard.press('ArrowLeft');
    expect((await readout()).text[0]).toBe('generation 2 · stage A');
    await page.keyboard.press('End');
    r = await readout();
    expect(r.text.slice(0, 2)).toEqual(['generation 7 · stage C', 'overall: 10.0%']);
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
      window.requestAnimationFrame = raf;
      draws.sort((a, b) => a - b);
      const drawn = Number(document.querySelector('path.loss')!.getAttribute('data-steps'));
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
    expect(r.draws).toBeGreaterThanOrEqual(100);
    expect(r.drawMedian).toBeLessThan(10);
    expect(r.drawWorst).toBeLessThan(50);
  });
});

describe('loss-line', () => {
  it('appends steps to the same path, and downsamples 10,000 steps to the plot width', async () => {
    await page.evaluate(() => {
      const losses = Array.from({ length: 100 }, (_, i) => 3 * Math.exp(-i / 40) + 1);
      (window as unknown as { loss: unknown }).loss = {
        chart: window.charts.lossLine(window.newMount()),
        losses,
      };
      const { chart } = (window as unknown as { loss: { chart: ReturnType<typeof window.charts.lossLine> } })
        .loss;
      chart.update({ generation: 2, losses });
    });
    await frames();
    const read = () =>
      page.evaluate(() => {
        const svg = document.querySelector('svg')!;
        const path = svg.querySelector<SVGPathElement & { mark?: number }>('path.loss')!;
        const pts = window.charts.inspect.pathSegments(path.getAttribute('d')).flat();
        const x = window.charts.inspect.invertAxis(svg, 'x');
        const y = window.charts.inspect.invertAxis(svg, 'y');
        const result = {
          steps: Number(path.getAttribute('data-steps')),
          points: pts.length,
          firstStep: x(pts[0]![0]),
          lastStep: x(pts.at(-1)![0]),
          firstLoss: y(pts[0]![1]),
          marked: path.mark === 1,
          band: !!svg.querySelector('path.loss-band')!.getAttribute('d'),
          title: svg.querySelector('text.title')!.textContent,
          plotWidth: Number(svg.getAttribute('width')),
        };
        path.mark = 1;
        return result;
      });
    let r = await read();
    expect(r).toMatchObject({ steps: 100, points: 100, marked: false, band: false });
    expect(r.firstStep).toBeCloseTo(1, 1);
    expect(r.lastStep).toBeCloseTo(100, 0);
    expect(r.firstLoss).toBeCloseTo(4, 1);
    expect(r.title).toBe('Training loss, generation 2');

    await page.evaluate(() => {
      const { chart, losses } = (
        window as unknown as { loss: { chart: ReturnType<typeof window.charts.lossLine>; losses: number[] } }
      ).loss;
      for (let i = 100; i < 150; i++) losses.push(3 * Math.exp(-i / 40) + 1);
      chart.update({ generation: 2, losses });
    });
    await frames();
    r = await read();
    expect(r).toMatchObject({ steps: 150, points: 150, marked: true });
    expect(r.lastStep).toBeCloseTo(150, 0);

    await page.evaluate(() => {
      const { chart, losses } = (
        window as unknown as { loss: { chart: ReturnType<typeof window.charts.lossLine>; losses: number[] } }
      ).loss;
      for (let i = 150; i < 10_000; i++) losses.push(3 * Math.exp(-i / 40) + 1 + (i % 2) * 0.1);
      chart.update({ generation: 2, losses });
    });
    await frames();
    r = await read();
    expect(r.steps).toBe(10_000);
    expect(r.points).toBeLessThanOrEqual(r.plotWidth);
    expect(r.points).toBeGreaterThan(r.plotWidth / 3);
    expect(r.band).toBe(true);
    expect(r.lastStep).toBeCloseTo(10_000, -2);

    // A new generation starts a new line.
    await page.evaluate(() => {
      const { chart } = (window as unknown as { loss: { chart: ReturnType<typeof window.charts.lossLine> } })
        .loss;
      chart.update({ generation: 3, losses: [2, null, 1.5] });
    });
    await frames();
    const gap = await page.evaluate(() =>
      window.charts.inspect
        .pathSegments(document.querySelector('path.loss')!.getAttribute('d'))
        .map((s) => s.length),
    );
    expect(gap).toEqual([1, 1]);
    expect((await read()).title).toBe('Training loss, generation 3');
  });
});

describe('rank-frequency', () => {
  it('draws each generation to its support on log–log axes, at most maxLines of them', async () => {
    const r = await page.evaluate(() => {
      const zipf = (support: number) =>
        Array.from({ length: support }, (_, i) => Math.round(10_000 / (i + 1)));
      const chart = window.charts.rankFrequency(window.newMount());
      chart.update([
        { generation: 0, frequencies: zipf(1000) },
        { generation: 1, frequencies: [...zipf(500), 0, 0] },
        { generation: 2, frequencies: zipf(100) },
      ]);
      const svg = document.querySelector('svg')!;
      const { pathSegments, invertAxis } = window.charts.inspect;
      const x = invertAxis(svg, 'x', true);
      const y = invertAxis(svg, 'y', true);
      const lines = [...svg.querySelectorAll('g.generations path')].map((p) => {
        const pts = pathSegments(p.getAttribute('d')).flat();
        return {
          generation: Number(p.getAttribute('data-generation')),
          support: Number(p.getAttribute('data-support')),
          firstRank: x(pts[0]![0]),
          lastRank: x(pts.at(-1)![0]),
          firstShare: y(pts[0]![1]),
          stroke: p.getAttribute('stroke'),
        };
      });
      const many = window.charts.rankFrequency(window.newMount());
      many.update(Array.from({ length: 100 }, (_, g) => ({ generation: g, frequencies: zipf(200 - g) })));
      const drawn = [...document.querySelectorAll('g.generations path')].map((p) =>
        Number(p.getAttribute('data-generation')),
      );
      return { lines, drawn };
    });
    const total = (n: number) =>
      Array.from({ length: n }, (_, i) => Math.round(10_000 / (i + 1))).reduce((a, b) => a + b);
    expect(r.lines.map((l) => [l.generation, l.support])).toEqual([
      [0, 1000],
      [1, 500],
      [2, 100],
    ]);
    for (const l of r.lines) {
      expect(l.firstRank).toBeCloseTo(1, 1);
      expect(l.lastRank / l.support).toBeCloseTo(1, 1);
      expect(l.firstShare / (10_000 / total(l.support))).toBeCloseTo(1, 1);
    }
    expect(new Set(r.lines.map((l) => l.stroke)).size).toBe(3);
    expect(r.drawn).toHaveLength(40);
    expect(r.drawn[0]).toBe(0);
    expect(r.drawn.at(-1)).toBe(99);
  });
});

describe('perplexity-histogram', () => {
  it('outlines each generation’s shares on a log axis through the given edges, and marks the means', async () => {
    const r = await page.evaluate((generations) => {
      const { charts } = window;
      const chart = charts.perplexityHistogram(window.newMount());
      chart.update(charts.perplexityHistogramsOf(generations));
      const svg = document.querySelector('svg')!;
      const x = charts.inspect.invertAxis(svg, 'x', true);
      const y = charts.inspect.invertAxis(svg, 'y');
      const outline = (g: number) =>
        charts.inspect
          .pathSegments(svg.querySelector(`g.histograms path[data-generation="${g}"]`)!.getAttribute('d'))
          .flat()
          .map(([px, py]) => [x(px), y(py)]);
      return {
        paths: svg.querySelectorAll('g.histograms path').length,
        means: [...svg.querySelectorAll('g.means path')].map((m) => {
          const t = /translate\(([-\d.]+)/.exec(m.getAttribute('transform')!)!;
          return x(Number(t[1]));
        }),
        gen0: outline(0),
        xTicks: charts.inspect.axisTicks(svg, 'x').map((t) => t.label),
      };
    }, STAGED);
    expect(r.paths).toBe(8);
    r.means.forEach((m, g) => expect(m).toBeCloseTo(4 + g, 1));
    // Generation 0: 30 samples in bin 8 (10 ≤ ppl < 13.3), 10 in bin 9: shares 0.75 and 0.25.
    const tallest = Math.max(...r.gen0.map((p) => p[1]!));
    expect(tallest).toBeCloseTo(0.75, 2);
    const rise = r.gen0.find((p) => p[1]! > 0.7)!;
    expect(rise[0]).toBeCloseTo(10, 1);
    expect(r.gen0[0]![0]).toBeCloseTo(1, 2);
    expect(r.gen0.at(-1)![0]).toBeCloseTo(1000, -1);
    expect(r.xTicks).toEqual(expect.arrayContaining(['1', '10', '100', '1k']));
  });
});

describe('export', () => {
  it('every chart exports a standalone SVG on white, without the hover layer', async () => {
    const r = await page.evaluate((generations) => {
      const { charts } = window;
      const panel = charts.metricPanels[0]!;
      const made = [
        charts.metricLines(window.newMount(), panel.options),
        charts.popularityLines(window.newMount()),
        charts.lossLine(window.newMount()),
        charts.rankFrequency(window.newMount()),
        charts.perplexityHistogram(window.newMount()),
      ];
      const series = charts.metricSeries([{ label: 'run', generations }], panel.metrics(generations));
      (made[0] as { update(d: unknown): void }).update({ series, stages: charts.stagesOf(generations) });
      return made.map((c) => {
        const doc = new DOMParser().parseFromString(c.toSvgString(), 'image/svg+xml');
        const root = doc.documentElement;
        return {
          ok: !doc.querySelector('parsererror'),
          ns: root.namespaceURI,
          background: root.firstElementChild?.getAttribute('fill'),
          interactive: root.querySelectorAll('[data-interactive]').length,
          style: root.getAttribute('style'),
          size: Number(root.getAttribute('width')) > 0 && Number(root.getAttribute('height')) > 0,
        };
      });
    }, STAGED);
    for (const s of r)
      expect(s).toEqual({
        ok: true,
        ns: 'http://www.w3.org/2000/svg',
        background: '#ffffff',
        interactive: 0,
        style: 'color: #222222; background: #ffffff',
        size: true,
      });
  });

  it('svgToPngBlob renders the SVG at the given scale on white', async () => {
    const r = await page.evaluate(async (generations) => {
      const { charts } = window;
      const panel = charts.metricPanels[0]!;
      const chart = charts.metricLines(window.newMount(400), panel.options);
      chart.update({
        series: charts.metricSeries([{ label: 'run', generations }], panel.metrics(generations)),
      });
      const svg = chart.toSvgString();
      const blob = await charts.svgToPngBlob(svg, 2);
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const corner = [...ctx.getImageData(1, 1, 1, 1).data];
      // Somewhere on the title text is dark.
      const row = ctx.getImageData(0, 20, bitmap.width, 10).data;
      let darkest = 255;
      for (let i = 0; i < row.length; i += 4) darkest = Math.min(darkest, row[i]!);
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
      return {
        type: blob.type,
        width: bitmap.width,
        height: bitmap.height,
        svgWidth: Number(doc.getAttribute('width')),
        svgHeight: Number(doc.getAttribute('height')),
        corner,
        darkest,
      };
    }, STAGED);
    expect(r.type).toBe('image/png');
    expect(r.width).toBe(r.svgWidth * 2);
    expect(r.height).toBe(r.svgHeight * 2);
    expect(r.corner).toEqual([255, 255, 255, 255]);
    expect(r.darkest).toBeLessThan(80);
  });
});
