// Text widths for laying out chart text, measured on a canvas: the same font and shaping as the SVG's
// text, without the forced layout of the whole page that getComputedTextLength costs when anything on it
// has changed since the last frame (a live run changes the tables at every generation).

/** The charts' font (chart-frame.ts sets it on every chart's SVG). */
export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

let context: CanvasRenderingContext2D | null | undefined;
const cache = new Map<string, number>();

/**
 * Width in CSS pixels of `text` in the chart font at `size` px and `weight`; an estimate where no canvas
 * can measure (0.6 em a character).
 */
export function textWidth(text: string, size = 11, weight: number | string = 400): number {
  const key = `${weight} ${size} ${text}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  if (context === undefined)
    context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  let width = text.length * size * 0.6;
  if (context) {
    context.font = `${weight} ${size}px ${CHART_FONT}`;
    width = context.measureText(text).width;
  }
  // Labels repeat (the same legends redraw at every generation); the cache stays small in practice.
  if (cache.size > 2000) cache.clear();
  cache.set(key, width);
  return width;
}
