// PNG export of a standalone SVG string (see standalone-svg.ts), drawn onto a canvas in the browser.

/** The pixel size an SVG document declares (width/height attributes, else its viewBox). */
export function svgSize(svg: string): { width: number; height: number } {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  const box = (root.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  const width = parseFloat(root.getAttribute('width') ?? '') || box[2] || 0;
  const height = parseFloat(root.getAttribute('height') ?? '') || box[3] || 0;
  if (!(width > 0 && height > 0)) throw new Error('svgToPngBlob: the SVG has no width and height');
  return { width, height };
}

/**
 * Renders a standalone SVG document to a PNG blob at `scale` × its size (2 for crisp slides). The SVG
 * must not reference outside resources (the charts' exports do not).
 */
export async function svgToPngBlob(svg: string, scale = 2): Promise<Blob> {
  if (!(scale > 0 && scale <= 8)) throw new RangeError(`svgToPngBlob: scale must be in (0, 8], got ${scale}`);
  const { width, height } = svgSize(svg);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = new Image();
    image.decoding = 'async';
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('svgToPngBlob: no 2D canvas context');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('svgToPngBlob: encoding failed'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
