// The model presets: architecture only in models/*.json, the run's training settings from the caller.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelPresetNames, modelPresets, modelSpec } from '../../src/model/architectures.ts';
import { parameterCount } from '../../src/model/spec.ts';
import { configField, defaultConfig } from '../../src/sim/config.ts';

const ARCHITECTURE_KEYS = [
  'name',
  'description',
  'vocabSize',
  'contextLength',
  'layers',
  'dModel',
  'heads',
  'dFF',
  'tieEmbeddings',
  'parameters',
];

describe('model presets', () => {
  it('each file in models/ holds an architecture and nothing a run sets', () => {
    for (const name of modelPresetNames) {
      const file = JSON.parse(readFileSync(new URL(`../../models/${name}.json`, import.meta.url), 'utf8'));
      expect(Object.keys(file).sort(), name).toEqual([...ARCHITECTURE_KEYS].sort());
    }
  });

  it('records each preset’s parameter count at its reference vocabulary', () => {
    for (const name of modelPresetNames)
      expect(parameterCount(modelSpec(name, defaultConfig)), name).toBe(modelPresets[name].parameters);
    // nano by hand: embeddings (512 + 32)·32, one block 4·32² + 2·32·128 + 128 + 9·32 (qkv, o, fc, proj,
    // their biases, two layer norms), final norm 2·32, head 32·512 (no bias).
    const D = 32;
    const block = 4 * D * D + 2 * D * 128 + 128 + 9 * D;
    expect(modelPresets.nano.parameters).toBe((512 + 32) * D + block + 2 * D + D * 512);
  });

  it('takes batch size and learning rate from the run, the rest from the preset and the shared constants', () => {
    expect(modelSpec('tiny', defaultConfig)).toEqual({
      name: 'tiny',
      vocabSize: 512,
      contextLength: 32,
      layers: 2,
      dModel: 64,
      heads: 4,
      dFF: 256,
      batchSize: 32,
      tieEmbeddings: false,
      beta1: 0.9,
      beta2: 0.99,
      eps: 1e-8,
      learningRate: 0.003,
      weightDecay: 0.01,
      gradClip: 1,
      initStd: 0.02,
    });
    const s = modelSpec('small', { batchSize: 7, learningRate: 0.0005 }, 99);
    expect([s.batchSize, s.learningRate, s.vocabSize, s.dModel]).toEqual([7, 0.0005, 99, 128]);
  });

  it('are the config’s model choices, with the n-gram model', () => {
    expect(configField('model')?.options).toEqual(['nano', 'tiny', 'small', 'ngram']);
  });
});
