// Per-step training loss of the current generation, appended as steps arrive. Long runs are drawn as
// one min–max band and mean per pixel column, so a redraw costs O(width), not O(steps).
import { area, format, line, scaleLinear } from 'd3';
import { drawAxes, drawHeading, HEADING_HEIGHT, yLabelWidth, type Plot } from './axes.ts';
import { chartFrame } from './chart-frame.ts';
import { PALETTE } from './palette.ts';
import { attachReadout } from './readout.ts';
import { standaloneSvg } from './standalone-svg.ts';

/** The losses of one generation so far, one per training step (null: not finite). */
export interface LossData {
  generation: number;
  losses: readonly (number | null)[];
}

export interface LossLineOptions {
  title?: string;
  yLabel?: string;
  plotHeight?: number;
  color?: string;
}

export interface LossLineChart {
  /**
   * Shows `data`. When it is the same generation with more steps than before, only the new steps are
   * read (the earlier ones are assumed unchanged), so appending is cheap; drawing waits for the next frame.
   */
  update(data: LossData): void;
  reset(): void;
  destroy(): void;
  toSvgString(): string;
}

/** Steps [start, end) summarised: mean, min and max of the finite losses (null when none). */
export interface LossBucket {
  start: number;
  end: number;
  mean: number | null;
  min: number | null;
  max: number | null;
}

/** Splits `values` into at most `maxBuckets` equal runs of consecutive steps (1 step each when it fits). */
export function downsample(values: ArrayLike<number>, maxBuckets: number): LossBucket[] {
  const n = values.length;
  const size = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(maxBuckets))));
  const buckets: LossBucket[] = [];
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    let sum = 0;
    let count = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      sum += v;
      count++;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    buckets.push(
      count ? { start, end, mean: sum / count, min, max } : { start, end, mean: null, min: null, max: null },
    );
  }
  return buckets;
}

const fmt = format('.4~r');
/** Fewest milliseconds between two redraws while losses stream in. */
const MIN_REDRAW_MS = 200;
const stepOf = (b: LossBucket) => (b.start + b.end - 1) / 2 + 1;

/** Creates the chart inside `el`. */
export function create(el: HTMLElement, options: LossLineOptions = {}): LossLineChart {
  const color = options.color ?? PALETTE[0];
  let generation: number | null = null;
  // Every step's loss (NaN where null), and the running extent of the finite ones.
  let values: number[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  let buckets: LossBucket[] = [];
  let pending = 0;
  /** A redraw waiting for MIN_REDRAW_MS to pass since the last one, and when that one was. */
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRender = -Infinity;

  const frame = chartFrame(el, 'loss-line', () => render());
  const svg = frame.svg;
  const grid = svg.append('g').attr('class', 'grid');
  const heading = svg.append('g').attr('class', 'heading');
  const gx = svg.append('g').attr('class', 'x-axis');
  const gy = svg.append('g').attr('class', 'y-axis');
  const band = svg.append('path').attr('class', 'loss-band').attr('fill', color).attr('fill-opacity', 0.22);
  const path = svg
    .append('path')
    .attr('class', 'loss')
    .attr('fill', 'none')
    .attr('stroke', color)
    .attr('stroke-width', 1.6)
    .attr('stroke-linejoin', 'round');
  let plot: Plot = { left: 0, top: 0, right: 0, bottom: 0 };
  let x = scaleLinear();

  const readout = attachReadout(frame, {
    positions: () => buckets.map((b) => x(stepOf(b))),
    plot: () => plot,
    content(i) {
      const b = buckets[i]!;
      const steps = b.end - b.start > 1 ? `steps ${b.start + 1}–${b.end}` : `step ${b.start + 1}`;
      const rows = [{ label: 'loss', value: b.mean === null ? 'not finite' : fmt(b.mean), color }];
      if (b.end - b.start > 1 && b.min !== null)
        rows.push({ label: 'range', value: `${fmt(b.min)}–${fmt(b.max!)}`, color });
      return { heading: `${steps}${generation === null ? '' : ` · generation ${generation}`}`, rows };
    },
  });

  function cancel() {
    if (pending) cancelAnimationFrame(pending);
    pending = 0;
    clearTimeout(timer);
    timer = undefined;
  }

  function render() {
    cancel();
    lastRender = performance.now();
    const width = frame.width();
    const n = values.length;
    const plotHeight = options.plotHeight ?? Math.round(Math.min(200, Math.max(130, width * 0.34)));
    const top = HEADING_HEIGHT + 4;
    const finite = lo <= hi;
    const pad = finite ? (hi - lo) * 0.05 || Math.abs(hi) * 0.1 || 0.5 : 0;
    const y = scaleLinear()
      .domain(finite ? [Math.max(0, lo - pad), hi + pad] : [0, 1])
      .range([top + plotHeight, top])
      .nice();
    const yTicks = Math.max(3, Math.round(plotHeight / 45));
    plot = { left: Math.max(30, yLabelWidth(y, yTicks)), top, right: width - 14, bottom: top + plotHeight };
    x = scaleLinear()
      .domain([1, Math.max(2, n)])
      .range([plot.left, plot.right]);
    buckets = downsample(values, plot.right - plot.left);
    drawHeading(
      heading,
      options.title ?? (generation === null ? 'Training loss' : `Training loss, generation ${generation}`),
      options.yLabel ?? 'loss (nats per token)',
      4,
    );
    drawAxes(gx, gy, grid, x, y, plot, {
      xTicks: Math.max(2, Math.floor((plot.right - plot.left) / 70)),
      yTicks,
      integerX: true,
      xLabel: 'training step',
    });
    const defined = (b: LossBucket) => b.mean !== null;
    const grouped = buckets.length > 0 && buckets[0]!.end - buckets[0]!.start > 1;
    band.attr(
      'd',
      grouped
        ? area<LossBucket>()
            .defined(defined)
            .x((b) => x(stepOf(b)))
            .y0((b) => y(b.min!))
            .y1((b) => y(b.max!))
            .digits(1)(buckets)
        : null,
    );
    path
      .attr(
        'd',
        line<LossBucket>()
          .defined(defined)
          .x((b) => x(stepOf(b)))
          .y((b) => y(b.mean!))
          .digits(2)(buckets),
      )
      .attr('data-steps', n)
      .attr('data-points', buckets.filter(defined).length);
    frame.setHeight(plot.bottom + 40);
    frame.setLabel(summary());
    readout.refresh();
  }

  function summary(): string {
    const name = generation === null ? 'Training loss' : `Training loss of generation ${generation}`;
    const first = values.find(Number.isFinite);
    const last = values.findLast(Number.isFinite);
    if (first === undefined || last === undefined) return `${name}: no steps yet.`;
    return `${name}, nats per token, over ${values.length} steps: ${fmt(first)} at the first step, ${fmt(last)} at the last, lowest ${fmt(lo)}.`;
  }

  // Losses stream in every few tens of milliseconds: redraw on an animation frame, at most every
  // MIN_REDRAW_MS, so the page's main thread stays free for input while a generation trains.
  const schedule = () => {
    if (pending || timer !== undefined) return;
    const wait = lastRender + MIN_REDRAW_MS - performance.now();
    if (wait <= 0) pending = requestAnimationFrame(render);
    else
      timer = setTimeout(() => {
        timer = undefined;
        pending = requestAnimationFrame(render);
      }, wait);
  };

  function clear() {
    values = [];
    lo = Infinity;
    hi = -Infinity;
  }

  render();
  return {
    update(data) {
      if (data.generation !== generation || data.losses.length < values.length) {
        clear();
        generation = data.generation;
      }
      for (let i = values.length; i < data.losses.length; i++) {
        const v = data.losses[i];
        const value = v === null || v === undefined || !Number.isFinite(v) ? NaN : v;
        values.push(value);
        if (value < lo) lo = value;
        if (value > hi) hi = value;
      }
      schedule();
    },
    reset() {
      clear();
      generation = null;
      readout.hide();
      render();
    },
    destroy() {
      cancel();
      frame.destroy();
    },
    toSvgString() {
      if (pending || timer !== undefined) render();
      return standaloneSvg(svg.node()!);
    },
  };
}
