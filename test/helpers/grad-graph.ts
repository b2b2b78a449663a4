// Loss and gradients of the model's grad graph for one batch and given weights, on any onnxruntime (node,
// or web in a page or a worker): what the backends' gradients are compared by.
import type { InferenceSession } from 'onnxruntime-common';
import type { OrtModule } from '../../src/engine/ort-engine.ts';
import type { TokenBatch } from '../../src/engine/types.ts';
import { buildGradGraph } from '../../src/model/graphs.ts';
import { FEED, gradName, OUTPUT } from '../../src/model/io-names.ts';
import { paramList, type ModelSpec } from '../../src/model/spec.ts';

export async function gradGraphRun(
  ort: OrtModule,
  spec: ModelSpec,
  batch: TokenBatch,
  params: Record<string, Float32Array>,
  options: InferenceSession.SessionOptions = {},
): Promise<{ loss: number; grads: Record<string, Float32Array> }> {
  const session = await ort.InferenceSession.create(buildGradGraph(spec, batch.batchSize).bytes, options);
  const dims = [batch.batchSize, spec.contextLength];
  const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {
    [FEED.ids]: new ort.Tensor('int32', batch.inputs, dims),
    [FEED.targets]: new ort.Tensor('int32', batch.targets, dims),
    [FEED.gamma]: new ort.Tensor('float32', new Float32Array([2]), []),
  };
  for (const p of paramList(spec)) feeds[p.name] = new ort.Tensor('float32', params[p.name]!, p.shape);
  const out = await session.run(feeds);
  const grads: Record<string, Float32Array> = {};
  // getData: a WebGPU output lives on the GPU until read.
  for (const p of paramList(spec)) grads[p.name] = (await out[gradName(p.name)]!.getData()) as Float32Array;
  const loss = ((await out[OUTPUT.loss]!.getData()) as Float32Array)[0]!;
  await session.release();
  return { loss, grads };
}
