// Chart draws, one to an animation frame. When a generation finishes every chart changes at once, and ten
// charts drawn before one frame made that frame lay out and paint all ten (~40 ms at the first generation
// on a 2-core machine, where the worker leaves the page one core at best). Each draw runs in a task of its
// own after a frame, so that the next frame renders only that chart; a chart asked to draw again while it
// waits keeps its place in the line and draws only its latest data.

const waiting = new Map<object, () => void>();
let pending = false;

function step(): void {
  setTimeout(() => {
    const next = waiting.entries().next();
    if (!next.done) {
      const [key, draw] = next.value;
      waiting.delete(key);
      draw();
    }
    pending = waiting.size > 0;
    if (pending) requestAnimationFrame(step);
  });
}

/** Runs `draw` in its turn (replacing a draw `key` already has waiting); returns a function that cancels it. */
export function queueDraw(key: object, draw: () => void): () => void {
  waiting.set(key, draw);
  if (!pending) {
    pending = true;
    requestAnimationFrame(step);
  }
  return () => {
    if (waiting.get(key) === draw) waiting.delete(key);
  };
}
