// The DOM every chart shares: a positioned wrapper, an SVG with role="img", a read-out box, and a
// ResizeObserver that re-renders when the container's width changes.
import { select, type Selection } from 'd3';
import { setAttrs } from './dom.ts';
import { isLightColor } from './palette.ts';
import { CHART_FONT } from './text-width.ts';

/** Width used before the container has been laid out (or when it is hidden). */
const FALLBACK_WIDTH = 600;
/** Narrowest width the charts lay themselves out for (a 360 px phone less some padding). */
export const MIN_WIDTH = 280;

export interface ChartFrame {
  /** The wrapper inside `el` (position: relative, so the read-out box can be placed over the chart). */
  root: HTMLDivElement;
  svg: Selection<SVGSVGElement, unknown, null, undefined>;
  /** The floating read-out box (hidden until hover or keyboard focus). */
  readout: HTMLDivElement;
  /** Current width in CSS pixels. */
  width(): number;
  /** Sets the SVG's pixel height (its width follows the container). */
  setHeight(height: number): void;
  /** Sets the accessible summary of the chart. */
  setLabel(text: string): void;
  /** Whether the page behind the chart is dark (the text colour is light). */
  darkBackground(): boolean;
  /** Removes everything this frame added and stops observing. */
  destroy(): void;
}

/**
 * Builds a chart's frame inside `el`. `onResize` runs (on the next animation frame) whenever the
 * container's width changes, and when the page switches between light and dark, so a chart re-lays
 * itself out without being re-created.
 */
export function chartFrame(el: HTMLElement, className: string, onResize: () => void): ChartFrame {
  const root = document.createElement('div');
  root.className = `chart ${className}`;
  root.style.position = 'relative';
  root.style.width = '100%';
  el.append(root);
  const measure = () => Math.max(MIN_WIDTH, Math.floor(el.clientWidth || FALLBACK_WIDTH));
  let width = measure();
  const svg = select(root)
    .append('svg')
    .attr('role', 'img')
    .attr('tabindex', 0)
    .attr('width', width)
    .attr('font-family', CHART_FONT)
    .attr('font-size', 11)
    .attr('fill', 'currentColor')
    .style('display', 'block')
    .style('max-width', '100%')
    .style('overflow', 'visible')
    .style('touch-action', 'pan-y');
  const readout = document.createElement('div');
  readout.setAttribute('role', 'status');
  readout.setAttribute('aria-live', 'polite');
  readout.dataset.chartReadout = '';
  Object.assign(readout.style, {
    position: 'absolute',
    display: 'none',
    pointerEvents: 'none',
    zIndex: '2',
    padding: '4px 7px',
    borderRadius: '4px',
    font: '12px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    background: 'var(--chart-readout-bg, Canvas)',
    color: 'var(--chart-readout-fg, CanvasText)',
    border: '1px solid color-mix(in srgb, currentColor 30%, transparent)',
    boxShadow: '0 1px 4px rgb(0 0 0 / 0.2)',
    whiteSpace: 'nowrap',
    fontVariantNumeric: 'tabular-nums',
  } satisfies Partial<CSSStyleDeclaration>);
  root.append(readout);

  let frame = 0;
  const observer = new ResizeObserver(() => {
    const w = measure();
    if (w === width || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      width = measure();
      svg.attr('width', width);
      onResize();
    });
  });
  observer.observe(el);
  // Colours that depend on the page's theme (the generation scales) are picked at draw time: redraw on a switch.
  // The text colour is read once and again after a switch: reading it at every redraw recalculates the
  // styles of whatever else on the page changed since the last frame.
  let dark: boolean | undefined;
  const onScheme = () => {
    dark = undefined;
    onResize();
  };
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', onScheme);

  return {
    root,
    svg,
    readout,
    width: () => width,
    // Set only when changed: setting the root's size again lays the whole chart out again (dom.ts).
    setHeight: (height) => setAttrs(svg.node()!, { height, viewBox: `0 0 ${width} ${height}` }),
    setLabel: (text) => setAttrs(svg.node()!, { 'aria-label': text }),
    darkBackground: () => (dark ??= isLightColor(getComputedStyle(root).color)),
    destroy() {
      observer.disconnect();
      scheme.removeEventListener('change', onScheme);
      if (frame) cancelAnimationFrame(frame);
      root.remove();
    },
  };
}
