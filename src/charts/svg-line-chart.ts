// A multi-series line chart rendered to an SVG string with d3-scale and d3-shape: no DOM, so the CLI
// draws its figures with it (the sweep's and reproduce's reports) without a browser.
import { extent, line, max, scaleLinear } from 'd3';
import { PALETTE } from './palette.ts';

export interface Series {
  label: string;
  /** Points (x, y); null y leaves a gap. */
  points: readonly (readonly [number, number | null])[];
  /** Dashed stroke (e.g. a closed-form prediction beside its measurement). */
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Fixed y domain (default: the data's extent, padded). */
  yDomain?: [number, number];
}

export { PALETTE } from './palette.ts';

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const r3 = (x: number): string => String(Math.round(x * 1000) / 1000);

export function lineChartSvg(series: readonly Series[], o: LineChartOptions): string {
  const width = o.width ?? 600;
  const height = o.height ?? 320;
  // room on the right for the legend: about 6.5 px per character at 11 px
  const longest = max(series, (s) => s.label.length) ?? 0;
  const m = { top: 32, right: Math.max(110, 44 + Math.ceil(longest * 6.5)), bottom: 44, left: 56 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) =>
    s.points.flatMap((p) => (p[1] === null || !Number.isFinite(p[1]) ? [] : [p[1]])),
  );
  const [x0, x1] = extent(xs) as [number | undefined, number | undefined];
  const [y0, y1] = o.yDomain ?? (extent(ys) as [number | undefined, number | undefined] as [number, number]);
  const x = scaleLinear()
    .domain([x0 ?? 0, x1 === x0 ? (x0 ?? 0) + 1 : (x1 ?? 1)])
    .range([m.left, width - m.right]);
  const pad = ((y1 ?? 1) - (y0 ?? 0)) * 0.05 || 0.5;
  const y = scaleLinear()
    .domain(o.yDomain ?? [(y0 ?? 0) - pad, (y1 ?? 1) + pad])
    .nice()
    .range([height - m.bottom, m.top]);
  const path = line<readonly [number, number | null]>()
    .defined((p) => p[1] !== null && Number.isFinite(p[1]))
    .x((p) => x(p[0]))
    .y((p) => y(p[1] ?? 0))
    .digits(3);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${m.left}" y="18" font-size="13" font-weight="600">${escape(o.title)}</text>`,
  );
  for (const t of y.ticks(5))
    parts.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${r3(y(t))}" y2="${r3(y(t))}" stroke="#e3e3e3"/>`,
      `<text x="${m.left - 6}" y="${r3(y(t) + 4)}" text-anchor="end" fill="#444">${escape(String(t))}</text>`,
    );
  for (const t of x.ticks(Math.min(10, Math.max(2, (x1 ?? 1) - (x0 ?? 0)))))
    parts.push(
      `<text x="${r3(x(t))}" y="${height - m.bottom + 16}" text-anchor="middle" fill="#444">${escape(String(t))}</text>`,
    );
  parts.push(
    `<line x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}" stroke="#888"/>`,
    `<text x="${(m.left + width - m.right) / 2}" y="${height - 8}" text-anchor="middle" fill="#222">${escape(o.xLabel)}</text>`,
    `<text transform="translate(14 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#222">${escape(o.yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const d = path(s.points) ?? '';
    parts.push(
      `<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
    for (const p of s.points)
      if (p[1] !== null && Number.isFinite(p[1]))
        parts.push(`<circle cx="${r3(x(p[0]))}" cy="${r3(y(p[1]))}" r="2.5" fill="${colour}"/>`);
    const ly = m.top + 8 + i * 16;
    parts.push(
      `<line x1="${width - m.right + 12}" x2="${width - m.right + 32}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
      `<text x="${width - m.right + 38}" y="${ly + 4}" fill="#222">${escape(s.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
