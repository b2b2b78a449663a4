// Turns a chart's live SVG into a standalone file: white background, dark text, no hover layer.

/** Text colour of exported charts (what `currentColor` resolves to on the white background). */
export const EXPORT_TEXT_COLOR = '#222222';

/**
 * Serialises `svg` as a standalone SVG document: explicit size, a white background rectangle, the text
 * colour set inline (the charts draw text, axes and grey shades in `currentColor`), and without the
 * elements marked `data-interactive` (hover rule, focus ring).
 */
export function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  for (const node of copy.querySelectorAll('[data-interactive]')) node.remove();
  const width = svg.getAttribute('width') ?? '600';
  const height = svg.getAttribute('height') ?? '300';
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', width);
  copy.setAttribute('height', height);
  copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  copy.setAttribute('style', `color: ${EXPORT_TEXT_COLOR}; background: #ffffff`);
  copy.removeAttribute('tabindex');
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  copy.insertBefore(background, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}
