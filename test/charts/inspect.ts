// Reading numbers back out of a rendered chart, for the browser tests: path vertices and axis ticks.

/** The vertices of an SVG path made of M/L commands (d3 line output), one array per M segment. */
export function pathSegments(d: string | null): [number, number][][] {
  if (!d) return [];
  const segments: [number, number][][] = [];
  for (const m of d.matchAll(/([MLHVZ])([^MLHVZ]*)/g)) {
    const [cmd, args] = [m[1]!, m[2]!.trim()];
    const nums = args ? args.split(/[\s,]+/).map(Number) : [];
    if (cmd === 'M') segments.push([[nums[0]!, nums[1]!]]);
    else if (cmd === 'L') segments.at(-1)!.push([nums[0]!, nums[1]!]);
    else if (cmd === 'H') segments.at(-1)!.push([nums[0]!, segments.at(-1)!.at(-1)![1]]);
    else if (cmd === 'V') segments.at(-1)!.push([segments.at(-1)!.at(-1)![0], nums[0]!]);
  }
  return segments;
}

const SI: Record<string, number> = { µ: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6 };

/** A tick label as a number: '0.25', '1k', '20m', '−3' (d3 writes a real minus sign). */
export function parseTick(label: string): number {
  const m = /^([−-]?[\d.]+(?:e[−-]?\d+)?)([µmkM]?)%?$/.exec(label.trim());
  if (!m) return NaN;
  const value = Number(m[1]!.replace('−', '-')) * SI[m[2]!]!;
  return label.trim().endsWith('%') ? value / 100 : value;
}

/** The ticks of a chart's axis ('x' or 'y'): label, value and pixel position along the axis. */
export function axisTicks(
  svg: SVGSVGElement,
  axis: 'x' | 'y',
): { label: string; value: number; pos: number }[] {
  return [...svg.querySelectorAll(`g.${axis}-axis g.tick`)].map((tick) => {
    const t = /translate\(([-\d.e]+),\s*([-\d.e]+)\)/.exec(tick.getAttribute('transform') ?? '')!;
    const label = tick.querySelector('text')!.textContent ?? '';
    return { label, value: parseTick(label), pos: Number(axis === 'x' ? t[1] : t[2]) };
  });
}

/** A function from pixel position to data value along an axis, fitted through its first and last tick. */
export function invertAxis(svg: SVGSVGElement, axis: 'x' | 'y', log = false): (pos: number) => number {
  const ticks = axisTicks(svg, axis).filter((t) => Number.isFinite(t.value));
  const a = ticks[0]!;
  const b = ticks.at(-1)!;
  const f = log ? Math.log : (v: number) => v;
  const k = (f(b.value) - f(a.value)) / (b.pos - a.pos);
  return (pos) => {
    const v = f(a.value) + (pos - a.pos) * k;
    return log ? Math.exp(v) : v;
  };
}
