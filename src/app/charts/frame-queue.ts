// Chart draws, one to an animation frame. When a generation finishes every chart changes at once, and ten
// charts drawn before one frame made that frame lay out and paint all ten (~40 ms at the first generation
// on a 2-core machine, where the worker leaves the page one core at best). Each draw runs in a task of its
// own after a frame, so that the next frame renders only that chart; a chart asked to draw again while it
// waits keeps its place in the line and draws only its latest data.
//
// A draw that throws is that chart's problem only: the error goes to the chart's own `onError`, and the
// line goes on to the next chart. (Before, one chart's exception ended the task before the next frame was
// asked for, and no chart drew again for the rest of the session.)

interface Waiting {
  draw: () => void;
  onError: (error: unknown) => void;
}

const waiting = new Map<object, Waiting>();
let pending = false;

/** Where a draw's error goes when its chart gave no `onError`: the console, as an uncaught error would. */
const report = (error: unknown) => console.error('A chart could not be drawn:', error);

function run({ draw, onError }: Waiting): void {
  try {
    draw();
  } catch (e) {
    try {
      onError(e);
    } catch (again) {
      report(again);
    }
  }
}

function step(): void {
  setTimeout(() => {
    const next = waiting.entries().next();
    if (!next.done) waiting.delete(next.value[0]);
    // The next frame is asked for before the draw runs, so nothing a draw does can stop the line.
    pending = waiting.size > 0;
    if (pending) requestAnimationFrame(step);
    if (!next.done) run(next.value[1]);
  });
}

/**
 * Runs `draw` in its turn (replacing a draw `key` already has waiting); returns a function that cancels
 * it. If `draw` throws, `onError` gets the error and the other charts' draws still run.
 */
export function queueDraw(
  key: object,
  draw: () => void,
  onError: (error: unknown) => void = report,
): () => void {
  const entry = { draw, onError };
  waiting.set(key, entry);
  if (!pending) {
    pending = true;
    requestAnimationFrame(step);
  }
  return () => {
    if (waiting.get(key) === entry) waiting.delete(key);
  };
}
