// What a run will cost before it starts: the memory one training step holds and, given a measured
// training speed, how long one step takes — so that a run that cannot fit or would crawl is warned
// about before Run is pressed.
import { parameterCount, type ModelSpec } from '../model/spec.ts';

/**
 * Bytes one training step holds, roughly: the parameters with their gradients, AdamW moments and
 * updated copies (7 float32 arrays of P), and per token of the batch the activations kept for the
 * backward pass — per block the layer-norm outputs, q/k/v, attention output and projection (10·D),
 * the MLP's hidden layer before and after GELU (2·F) and the attention weights (H·T), and the
 * logits with their softmax and gradient (3·V) — doubled for the backward pass's transients. The
 * factor 2 on top stands for onnxruntime's own copies and arenas: it brings the estimate for the
 * default preset with model small at batch 1024 (V = 447; 6.1 GB without it) to the 12.1 GB that
 * run was seen to take (issue 16). A rough figure, to warn with, not to plan by.
 */
export function trainingMemoryBytes(spec: ModelSpec): number {
  const { batchSize: B, contextLength: T, layers: L, dModel: D, dFF: F, heads: H, vocabSize: V } = spec;
  const perToken = 2 * (L * (10 * D + 2 * F + H * T) + 3 * V);
  return 2 * 4 * (B * T * perToken + 7 * parameterCount(spec));
}

/** The most memory onnxruntime-web's WASM build can address (32-bit WebAssembly). */
export const WASM_MEMORY_BYTES = 4 * 2 ** 30;

/** A step longer than this is warned about (a Stop or pause waits for the step in progress). */
export const SLOW_STEP_MS = 30_000;

export interface RunCostInput {
  spec: ModelSpec;
  backend: 'wasm' | 'webgpu';
  /** Measured training speed on `backend` (tokens a second), if any. */
  tokensPerSecond?: number;
  /** navigator.deviceMemory: the device's memory in GiB as the browser reports it (rounded, capped). */
  deviceMemoryGiB?: number;
}

/** In GB of 2^30 bytes, as browsers and operating systems report memory: "4 GB", "11 GB", "3.1 GB". */
const gb = (bytes: number) => {
  const x = bytes / 2 ** 30;
  return `${x < 10 && !Number.isInteger(x) ? x.toFixed(1) : Math.round(x)} GB`;
};

/** Readable warnings about a run before it starts; empty when nothing stands out. */
export function runCostWarnings(x: RunCostInput): string[] {
  const out: string[] = [];
  const bytes = trainingMemoryBytes(x.spec);
  const device = x.deviceMemoryGiB === undefined ? undefined : x.deviceMemoryGiB * 2 ** 30;
  const cap = x.backend === 'wasm' ? Math.min(WASM_MEMORY_BYTES, device ?? Infinity) : device;
  const size = `model ${x.spec.name}, batch ${x.spec.batchSize}`;
  if (cap !== undefined && bytes > cap) {
    const limits = [
      x.backend === 'wasm' ? `WASM can address at most ${gb(WASM_MEMORY_BYTES)}` : '',
      device === undefined ? '' : `this device reports ${gb(device)}`,
    ].filter(Boolean);
    out.push(
      `A training step needs about ${gb(bytes)} of memory (${size}), more than is available: ${limits.join(' and ')}. Lower the batch size or choose a smaller model.`,
    );
  }
  if (x.tokensPerSecond && x.tokensPerSecond > 0) {
    const ms = ((x.spec.batchSize * x.spec.contextLength) / x.tokensPerSecond) * 1000;
    if (ms > SLOW_STEP_MS)
      out.push(
        `One training step would take about ${Math.round(ms / 1000)} s here (${size}, measured ${Math.round(x.tokensPerSecond)} tokens/s): Stop and Pause wait for the step in progress. Lower the batch size or choose a smaller model.`,
      );
  }
  return out;
}
