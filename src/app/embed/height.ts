// An embed in an iframe posts its content's height to the page around it whenever it changes, so the
// article can size the iframe to fit (no inner scroll bar, no gap):
//   { type: 'ouroboros:height', height: <CSS pixels> }
// The snippet that listens is in the README ("Embed and recorded runs"). Only the height is sent, to any
// origin: the embed does not know the article's origin, and its height says nothing private.

export const HEIGHT_MESSAGE = 'ouroboros:height';

export interface HeightMessage {
  type: typeof HEIGHT_MESSAGE;
  height: number;
}

/** Posts `el`'s height to the parent window now and on every change; returns a function that stops. */
export function postHeight(el: HTMLElement, target: Window = window.parent): () => void {
  if (target === window) return () => {};
  let last = -1;
  const post = () => {
    const height = Math.ceil(el.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    target.postMessage({ type: HEIGHT_MESSAGE, height } satisfies HeightMessage, '*');
  };
  const observer = new ResizeObserver(post);
  observer.observe(el);
  post();
  return () => observer.disconnect();
}
