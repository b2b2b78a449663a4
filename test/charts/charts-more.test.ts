// More chart modules in headless Chromium: the loss line, rank-frequency, perplexity histograms and
// export, read back from the drawn SVG against the data.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useChartHarness } from './harness-session.ts';
import { STAGED } from './fixtures.ts';

const harness = useChartHarness();
let page: Page;
beforeAll(() => {
  page = harness.page(); // runs after the harness has opened it (hooks run in order)
});

/** Waits until the loss chart has drawn `n` steps. */
const drawnSteps = (n: number) =>
  page.waitForFunction(
    (want) => document.querySelector('path.loss')?.getAttribute('data-steps') === String(want),
    n,
  );

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
    await drawnSteps(100);
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
    // Redraws are throttled while losses stream in: wait for this one.
    await drawnSteps(150);
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
    await drawnSteps(10_000);
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
    await drawnSteps(3);
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
