import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node.ts';
import { EngineInputError } from '../../src/engine/validate.ts';
import { validateSpec } from '../../src/model/spec.ts';
import { testSpec } from '../helpers/spec.ts';

const spec = testSpec();
const engine = await createNodeEngine({ backend: 'node', spec, seed: 1 });
afterAll(() => engine.dispose());

const n = spec.batchSize * spec.contextLength;
const good = () => ({ inputs: new Int32Array(n), targets: new Int32Array(n), batchSize: spec.batchSize });

const refuses = async (p: Promise<unknown> | (() => unknown), pattern: RegExp) => {
  const run = typeof p === 'function' ? async () => p() : () => p;
  await expect(run()).rejects.toThrow(EngineInputError);
  await expect(run()).rejects.toThrow(pattern);
};

describe('bad input is refused with a clear error', () => {
  it('wrong shapes', async () => {
    await refuses(
      () => engine.trainStep({ ...good(), inputs: new Int32Array(n - 1) }),
      /inputs has 14 ids; expected batchSize × contextLength = 3 × 5/,
    );
    await refuses(
      () => engine.trainStep({ ...good(), targets: new Int32Array(n + 5) }),
      /targets has 20 ids; expected 15/,
    );
    await refuses(() => engine.evaluate({ ...good(), batchSize: 0 }), /batchSize must be an integer/);
    await refuses(
      () => engine.trainStep({ ...good(), inputs: [1, 2] as unknown as Int32Array }),
      /must be Int32Array/,
    );
  });
  it('token ids out of range', async () => {
    const b = good();
    b.inputs[7] = spec.vocabSize;
    await refuses(() => engine.trainStep(b), /inputs\[7\] = 11 is out of range \[0, 10\]/);
    const c = good();
    c.targets[2] = -2;
    await refuses(() => engine.evaluate(c), /targets\[2\] = -2 is out of range \[-1, 10\]/);
    await refuses(() => engine.sample([[1, 99]]), /context 0 holds token id 99/);
    await refuses(() => engine.sample([[]]), /context 0 is empty/);
    await refuses(() => engine.sample([]), /at least one context/);
  });
  it('NaN learning rate and bad sampling options', async () => {
    await refuses(
      () => engine.trainStep(good(), { learningRate: NaN }),
      /learningRate must be a finite number/,
    );
    await refuses(
      () => engine.trainStep(good(), { loss: 'tce', tceGamma: 1.5 }),
      /tceGamma must be in \(0, 1\]/,
    );
    await refuses(() => engine.sample([[1]], { temperature: -1 }), /temperature must be/);
    await refuses(() => engine.sample([[1]], { topP: 0 }), /topP must be in \(0, 1\]/);
    await refuses(() => engine.sample([[1]], { topK: 2.5 }), /topK must be an integer/);
  });
  it('bad checkpoints', async () => {
    const w = await engine.getWeights();
    await refuses(
      () => engine.setWeights({ params: { ...w.params, extra: new Float32Array(1) } }),
      /unknown parameter extra/,
    );
    const short = { ...w.params, tok_emb: new Float32Array(3) };
    await refuses(() => engine.setWeights({ params: short }), /params.tok_emb has 3 values; expected 88/);
    const nan = { ...w.params, lnf_b: new Float32Array(8).fill(NaN) };
    await refuses(() => engine.setWeights({ params: nan }), /params.lnf_b\[0\] is not finite/);
  });
  it('a bad spec', () => {
    expect(() => validateSpec({ ...spec, heads: 3 })).toThrow(
      /dModel \(8\) must be divisible by heads \(3\)/,
    );
    expect(() => validateSpec({ ...spec, layers: 0 })).toThrow(/layers must be an integer in \[1, 64\]/);
  });
  it('the engine still works after refusing', async () => {
    const r = await engine.trainStep(good());
    expect(Number.isFinite(r.loss)).toBe(true);
  });
});
