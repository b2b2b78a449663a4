// Colours shared by the charts and the page: Okabe–Ito for categories, a light-to-dark ramp for the
// stages (bands, ribbons and badges alike), viridis for generations.
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

/** How a stage is drawn: `fill` behind its name (ribbons, badges), `text` on it, `tint` behind data. */
export interface StageColors {
  fill: string;
  text: string;
  tint: string;
}

/**
 * One scheme for the stages wherever they appear (chart ribbons and bands, table badges, the embed).
 * The fills step from pale sky (A, knowledge preserved) through burnt orange (B) to dark aubergine
 * (C): each differs from the next by at least STAGE_CONTRAST in WCAG contrast, so they stay apart on a
 * washed-out projector and without colour vision (the ramp is in lightness, not only hue), and each
 * carries its text at ≥ 4.5:1. Bands behind data lines use the pale `tint` of the same hue, which
 * works on light and dark pages alike.
 */
export const STAGE_COLORS: Readonly<Record<Stage, StageColors>> = {
  A: { fill: '#C6E7F8', text: '#1B1B1F', tint: 'rgba(86, 180, 233, 0.16)' },
  B: { fill: '#B35F00', text: '#FFFFFF', tint: 'rgba(230, 159, 0, 0.2)' },
  C: { fill: '#3D1649', text: '#FFFFFF', tint: 'rgba(204, 121, 167, 0.24)' },
};

/** The least WCAG contrast between the fills of adjacent stages (A–B, B–C). */
export const STAGE_CONTRAST = 3;

/** WCAG relative luminance of a colour given as #rrggbb or rgb()/rgba() (alpha ignored). */
export function relativeLuminance(color: string): number {
  const hex = /^#([\da-f]{2})([\da-f]{2})([\da-f]{2})$/i.exec(color);
  const rgb = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(color);
  const parts = hex ? hex.slice(1).map((h) => parseInt(h, 16)) : rgb?.slice(1).map(Number);
  if (!parts) throw new Error(`not a colour in #rrggbb or rgb() form: '${color}'`);
  const [r, g, b] = parts.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

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
