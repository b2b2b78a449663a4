// The chart frame queue: one draw a frame, the latest data per chart, and a draw that throws stops
// neither the other charts' draws nor any later draw (before, it left the queue marked busy for good).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queueDraw } from '../../src/app/charts/frame-queue.ts';

// Frames and tasks on fake timers: `settle` runs every frame and task queued, new ones included.
beforeAll(() => {
  vi.useFakeTimers();
  vi.stubGlobal('requestAnimationFrame', (f: () => void) => setTimeout(f, 16));
});
afterAll(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const settle = () => vi.runAllTimersAsync();

describe('queueDraw', () => {
  it('runs each chart’s latest draw once, in the order the charts first asked', async () => {
    const drawn: string[] = [];
    const [a, b, c] = [{}, {}, {}];
    queueDraw(a, () => drawn.push('a1'));
    queueDraw(b, () => drawn.push('b1'));
    queueDraw(a, () => drawn.push('a2'));
    const cancel = queueDraw(c, () => drawn.push('c1'));
    cancel();
    await settle();
    expect(drawn).toEqual(['a2', 'b1']);
  });

  it('reports a throwing draw to that chart only, and the others and later draws still run', async () => {
    const drawn: string[] = [];
    const errors: [string, unknown][] = [];
    const charts = ['first', 'broken', 'third', 'fourth'];
    const boom = new RangeError('Maximum call stack size exceeded');
    for (const name of charts)
      queueDraw(
        { name },
        () => {
          if (name === 'broken') throw boom;
          drawn.push(name);
        },
        (e) => errors.push([name, e]),
      );
    await settle();
    expect(drawn).toEqual(['first', 'third', 'fourth']);
    expect(errors).toEqual([['broken', boom]]);

    // A live run's next update still reaches every chart, the one that failed included.
    const later: string[] = [];
    for (const name of charts) queueDraw({ name }, () => later.push(name));
    await settle();
    expect(later).toEqual(charts);
  });

  it('survives an error handler that throws too, and a draw with no handler (logged)', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const drawn: string[] = [];
    queueDraw(
      {},
      () => {
        throw new Error('draw');
      },
      () => {
        throw new Error('handler');
      },
    );
    queueDraw({}, () => {
      throw new Error('unhandled draw');
    });
    queueDraw({}, () => drawn.push('after'));
    await settle();
    expect(drawn).toEqual(['after']);
    expect(log.mock.calls.map((c) => (c[1] as Error).message)).toEqual(['handler', 'unhandled draw']);
    log.mockRestore();
  });
});
