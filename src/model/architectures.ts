// The GPT model presets: named architectures read from models/*.json (architecture only). Each records
// its parameter count at its reference vocabulary size; the simulation replaces vocabSize with its
// tokenizer's. The run's batch size and learning rate are run settings (the config schema in
// sim/config.ts holds them and their defaults): `modelSpec` takes them from its caller.
import nano from '../../models/nano.json';
import tiny from '../../models/tiny.json';
import small from '../../models/small.json';
import type { ModelSpec } from './spec.ts';

/** The GPT presets' names, smallest first. */
export const modelPresetNames = ['nano', 'tiny', 'small'] as const;
export type ModelPresetName = (typeof modelPresetNames)[number];

/** The settings a run chooses for its model: sequences per training step and the AdamW learning rate. */
export type TrainingSettings = Pick<ModelSpec, 'batchSize' | 'learningRate'>;

/** An architecture: a spec without the run's training settings and the training constants. */
export type Architecture = Omit<ModelSpec, keyof TrainingSettings | keyof typeof trainingConstants>;

export interface ModelPreset extends Architecture {
  description: string;
  /** Parameter count at this preset's vocabSize (checked by a test). */
  parameters: number;
}

export const modelPresets: Record<ModelPresetName, ModelPreset> = { nano, tiny, small };

/** AdamW and initialisation constants every preset trains with (not run settings: the config has none). */
const trainingConstants = {
  beta1: 0.9,
  beta2: 0.99,
  eps: 1e-8,
  weightDecay: 0.01,
  gradClip: 1,
  initStd: 0.02,
} satisfies Partial<ModelSpec>;

/** The spec of a preset trained with `training`, with the vocabulary size replaced when given. */
export function modelSpec(name: ModelPresetName, training: TrainingSettings, vocabSize?: number): ModelSpec {
  const preset = modelPresets[name];
  if (!preset)
    throw new RangeError(
      `unknown model preset '${String(name)}': use ${Object.keys(modelPresets).join(', ')}`,
    );
  const { description: _d, parameters: _p, ...architecture } = preset;
  return {
    ...architecture,
    ...trainingConstants,
    batchSize: training.batchSize,
    learningRate: training.learningRate,
    vocabSize: vocabSize ?? architecture.vocabSize,
  };
}
