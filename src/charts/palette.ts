// Colours shared by the charts: Okabe–Ito for categories, grey shades for stages, viridis for generations.
import { interpolateViridis } from 'd3';
import type { Stage } from '../sim/stages.ts';

/** Okabe–Ito: distinguishable with the common forms of colour blindness (Okabe & Ito 2008). */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#000000',
] as const;

/**
 * The palette for lines on screen: Okabe–Ito's black becomes the text colour, so it stays visible in
 * dark mode (an exported SVG resolves it to near-black on white).
 */
export const LINE_COLORS: readonly string[] = PALETTE.map((c) => (c === '#000000' ? 'currentColor' : c));

/**
 * Stage bands are shades of the text colour, darker for worse stages, and carry their letter: readable
 * without colour vision and in dark mode, and they never clash with the series' colours.
 */
export const STAGE_SHADE: Readonly<Record<Stage, number>> = { A: 0.03, B: 0.07, C: 0.12 };

/** Whether a CSS colour (as getComputedStyle reports it: rgb()/rgba()) is light, i.e. text on a dark page. */
export function isLightColor(css: string): boolean {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
  if (!m) return false;
  const [r, g, b] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140;
}

/**
 * A sequential, colour-blind-safe colour for generation `g` of `0 … last` (viridis). On a light page the
 * pale yellow end is cut off; on a dark page the dark purple end is.
 */
export function generationColor(g: number, last: number, darkBackground = false): string {
  const t = last > 0 ? Math.min(1, Math.max(0, g / last)) : 1;
  const [lo, hi] = darkBackground ? [0.3, 1] : [0, 0.82];
  return interpolateViridis(lo + t * (hi - lo));
}
