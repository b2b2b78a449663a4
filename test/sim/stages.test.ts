import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/sim/config.ts';
import { defaultStageThresholds, labelStage } from '../../src/sim/stages.ts';

const gen0 = { accuracy: 0.6, fluency: 0.9 };

describe('labelStage', () => {
  it('uses the documented defaults', () => {
    expect(defaultStageThresholds).toEqual({
      stageBAccuracyDrop: 0.3,
      stageCFluency: 0.5,
      stageCFluencyDrop: 0.3,
    });
    // a Config is accepted as thresholds
    expect(labelStage(gen0, gen0, defaultConfig)).toBe('A');
  });

  it('generation 0 against itself is A', () => {
    expect(labelStage(gen0, gen0)).toBe('A');
  });

  it('B boundary: accuracy below 0.7 × generation 0', () => {
    // 0.7 × 0.6 = 0.42
    expect(labelStage(gen0, { accuracy: 0.42, fluency: 0.9 })).toBe('A');
    expect(labelStage(gen0, { accuracy: 0.4199, fluency: 0.9 })).toBe('B');
    expect(labelStage(gen0, { accuracy: 0, fluency: 0.9 })).toBe('B');
    // accuracy rising is fine
    expect(labelStage(gen0, { accuracy: 0.9, fluency: 0.9 })).toBe('A');
  });

  it('C boundary: absolute fluency floor', () => {
    const g = { accuracy: 0.6, fluency: 0.6 };
    expect(labelStage(g, { accuracy: 0.6, fluency: 0.5 })).toBe('A');
    expect(labelStage(g, { accuracy: 0.6, fluency: 0.4999 })).toBe('C');
  });

  it('C boundary: relative fluency drop', () => {
    // 0.7 × 0.9 = 0.63, above the 0.5 floor
    expect(labelStage(gen0, { accuracy: 0.6, fluency: 0.63 })).toBe('A');
    expect(labelStage(gen0, { accuracy: 0.6, fluency: 0.6299 })).toBe('C');
  });

  it('C wins over B', () => {
    expect(labelStage(gen0, { accuracy: 0.1, fluency: 0.2 })).toBe('C');
    expect(labelStage(gen0, { accuracy: 0.1, fluency: 0.8 })).toBe('B');
  });

  it('honours custom thresholds', () => {
    const t = { stageBAccuracyDrop: 0.5, stageCFluency: 0, stageCFluencyDrop: 1 };
    expect(labelStage(gen0, { accuracy: 0.31, fluency: 0.01 }, t)).toBe('A');
    expect(labelStage(gen0, { accuracy: 0.29, fluency: 0.01 }, t)).toBe('B');
  });

  it('a generation 0 with no accuracy never reaches B; NaN never crosses', () => {
    expect(labelStage({ accuracy: 0, fluency: 0.9 }, { accuracy: 0, fluency: 0.9 })).toBe('A');
    expect(labelStage(gen0, { accuracy: NaN, fluency: NaN })).toBe('A');
  });
});

it('a value equal to the threshold up to rounding does not cross it', () => {
  // (1 − 0.2) × 0.2 = 0.16000000000000003 in floating point: 0.16 is on the boundary, not below it
  const t = { ...defaultStageThresholds, stageBAccuracyDrop: 0.2 };
  expect(labelStage({ accuracy: 0.2, fluency: 0.9 }, { accuracy: 0.16, fluency: 0.9 }, t)).toBe('A');
});
