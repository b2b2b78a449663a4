// Model presets from models/*.json. Each records its parameter count at its reference vocabulary
// size; the simulation replaces vocabSize with its tokenizer's.
import nano from '../../models/nano.json';
import tiny from '../../models/tiny.json';
import small from '../../models/small.json';
import type { ModelSpec } from './spec.ts';

export type ModelPresetName = 'nano' | 'tiny' | 'small';

export interface ModelPreset extends ModelSpec {
  description: string;
  /** Parameter count at this preset's vocabSize (checked by a test). */
  parameters: number;
}

export const modelPresets: Record<ModelPresetName, ModelPreset> = { nano, tiny, small };

/** The spec for a preset with the vocabulary size replaced. */
export function modelSpec(name: ModelPresetName, vocabSize?: number): ModelSpec {
  const preset = modelPresets[name];
  if (!preset)
    throw new RangeError(
      `unknown model preset '${String(name)}': use ${Object.keys(modelPresets).join(', ')}`,
    );
  const { description: _d, parameters: _p, ...spec } = preset;
  return { ...spec, vocabSize: vocabSize ?? spec.vocabSize };
}
