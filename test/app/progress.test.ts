import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  generationFraction,
  remainingMs,
  runFraction,
  timePerGeneration,
} from '../../src/app/state/progress.ts';

const gen = (trainMs: number, sampleMs: number, evalMs: number) => ({
  timings: { trainMs, sampleMs, evalMs },
});
const config = { generations: 3, epochs: 2, gen0Epochs: 10, documentsPerGeneration: 200, realDocuments: 400 };

describe('run progress', () => {
  it('splits a generation by the latest finished one’s phase times', () => {
    const done = [gen(600, 300, 100)];
    expect(generationFraction({ generation: 1, phase: 'train', done: 5, total: 10 }, done)).toBeCloseTo(0.3);
    expect(generationFraction({ generation: 1, phase: 'sample', done: 1, total: 2 }, done)).toBeCloseTo(0.75);
    expect(generationFraction({ generation: 1, phase: 'evaluate', done: 4, total: 4 }, done)).toBeCloseTo(1);
    // before any generation has finished: 75% train, 20% sample, 5% evaluate
    expect(generationFraction({ generation: 0, phase: 'sample', done: 0, total: 9 }, [])).toBeCloseTo(0.75);
  });

  it('counts finished generations plus the current one’s share, out of generations + 1', () => {
    const done = [gen(600, 300, 100)];
    expect(runFraction(config, done, { generation: 1, phase: 'train', done: 5, total: 10 })).toBeCloseTo(
      1.3 / 4,
    );
    expect(runFraction(config, done, null)).toBe(0.25);
    // a stale event of a generation already counted adds nothing
    expect(runFraction(config, done, { generation: 0, phase: 'evaluate', done: 4, total: 4 })).toBe(0.25);
  });

  it('reports generation 0 and the mean of later generations separately', () => {
    expect(timePerGeneration([])).toEqual({ first: null, later: null });
    expect(timePerGeneration([gen(9000, 500, 500), gen(1000, 500, 500), gen(2000, 500, 500)])).toEqual({
      first: 10000,
      later: 2500,
    });
  });

  it('estimates the time left from later generations once there are some', () => {
    const done = [gen(9000, 500, 500), gen(1000, 500, 500)];
    // generation 2 half done after 1 s: 1 s more, then generation 3 at 2 s
    const phase = { generation: 2, phase: 'train' as const, done: 1, total: 1 };
    const f = generationFraction(phase, done); // 0.5
    expect(f).toBeCloseTo(0.5);
    expect(remainingMs(config, done, phase, 1000)).toBeCloseTo(1000 + 2000);
  });

  it('scales generation 0’s training time by the data a later generation trains on', () => {
    // generation 0: 8 s training, 2 s the rest; later ones train on 2·200 / (10·400) = 1/10 of it
    const done = [gen(8000, 1500, 500)];
    expect(remainingMs(config, done, null, 0)).toBeCloseTo(3 * (800 + 2000));
  });

  it('knows nothing at the very start, and nothing is left when every generation is done', () => {
    expect(remainingMs(config, [], null, 0)).toBeNull();
    expect(remainingMs(config, [gen(1, 1, 1), gen(1, 1, 1), gen(1, 1, 1), gen(1, 1, 1)], null, 0)).toBe(0);
  });

  it('formats durations for people', () => {
    expect(formatDuration(44_600)).toBe('45 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
  });
});
