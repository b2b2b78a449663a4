// Geometry the line charts share: contiguous stage spans for the bands, and many markers in one path.
import { path, type SymbolType } from 'd3';
import type { Stage } from '../sim/stages.ts';
import type { StagePoint } from './metric-lines-types.ts';

/** Contiguous runs of one stage: [stage, first generation, last generation]. */
export function stageSpans(stages: readonly StagePoint[]): { stage: Stage; first: number; last: number }[] {
  const sorted = [...stages].sort((a, b) => a.generation - b.generation);
  const spans: { stage: Stage; first: number; last: number }[] = [];
  for (const s of sorted) {
    const open = spans.at(-1);
    if (open && open.stage === s.stage) open.last = s.generation;
    else spans.push({ stage: s.stage, first: s.generation, last: s.generation });
  }
  return spans;
}

/** One path drawing the symbol `type` (area `size`) centred on each of `centres`. */
export function symbolsPath(
  type: SymbolType,
  size: number,
  centres: readonly (readonly [number, number])[],
): string {
  const out = path();
  let dx = 0;
  let dy = 0;
  // A drawing context that shifts the symbol (drawn around the origin) to the current centre.
  const shifted = {
    moveTo: (x: number, y: number) => out.moveTo(x + dx, y + dy),
    lineTo: (x: number, y: number) => out.lineTo(x + dx, y + dy),
    arc: (x: number, y: number, r: number, a0: number, a1: number, ccw?: boolean) =>
      out.arc(x + dx, y + dy, r, a0, a1, ccw),
    rect: (x: number, y: number, w: number, h: number) => out.rect(x + dx, y + dy, w, h),
    closePath: () => out.closePath(),
  };
  for (const [x, y] of centres) {
    [dx, dy] = [Math.round(x * 100) / 100, Math.round(y * 100) / 100];
    type.draw(shifted as unknown as CanvasPath, size);
  }
  return out.toString();
}
