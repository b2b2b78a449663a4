// Choosing `auto`'s backend by measurement: a few training steps of the run's model on each backend
// the browser has, the faster taken. A software WebGPU adapter (SwiftShader, a fallback adapter) is
// not refused by its name, only by its speed — nor is a hardware one taken by its name alone.
import type { EngineSpec } from '../model/spec.ts';
import type { Engine, TokenBatch } from './types.ts';

export type BrowserBackend = 'webgpu' | 'wasm';

/** What a WebGPU adapter says of itself. */
export interface AdapterInfo {
  /** Vendor, architecture, device and description, as one readable name. */
  name: string;
  /** A CPU implementation: `isFallbackAdapter`, or an adapter naming SwiftShader. */
  software: boolean;
}

/** The backend's name as the backend line shows it, e.g. "WebGPU (software adapter, SwiftShader)". */
export function backendLabel(backend: BrowserBackend, adapter?: AdapterInfo): string {
  if (backend === 'wasm') return 'WASM';
  if (!adapter) return 'WebGPU';
  if (!adapter.software) return `WebGPU (${adapter.name})`;
  const which = /swiftshader/i.test(adapter.name) ? 'SwiftShader' : adapter.name;
  return `WebGPU (software adapter, ${which})`;
}

/** One backend's measured training speed. */
export interface Measurement {
  backend: BrowserBackend;
  label: string;
  /** Training tokens (batch × window) per second; for `slowerThan`, the most it can be. */
  tokensPerSecond: number;
  /** The first step alone outran the budget: the backend is at most this fast (its speed is not known). */
  slowerThan: boolean;
  /** Timed steps after the first (0 when `slowerThan`). */
  steps: number;
  /** Why the backend could not train at all (then tokensPerSecond is 0). */
  error?: string;
  /** For `slowerThan`: how long its first step was waited for. */
  waitedMs?: number;
}

/** How long a measurement may take: the first step (graph building included) and the timed ones. */
export interface MeasureBudget {
  /** Longest wait for the first step before the backend is judged by that alone (Infinity: no limit). */
  firstStepMs: number;
  /** Timed steps run until this much time has passed (at least one, at most `maxSteps`). */
  timedMs: number;
  maxSteps: number;
}

/** WASM's budget: its first step is always waited for (WASM is the fallback, it must work anyway). */
export const MEASURE_BUDGET: MeasureBudget = { firstStepMs: Infinity, timedMs: 250, maxSteps: 8 };

/**
 * WebGPU's budget after WASM measured `wasm`: its first step (which also compiles its shaders) may
 * take a second plus three of WASM's steps; slower than that, it would lose to WASM by a wide margin
 * and is not waited for. A software adapter that needs seconds a step is thus judged in about a
 * second more than WASM took, on a loaded machine as on an idle one.
 */
export function webgpuBudget(wasm: Measurement, tokensPerStep: number): MeasureBudget {
  const wasmStepMs = wasm.error ? 0 : (tokensPerStep / wasm.tokensPerSecond) * 1000;
  return { ...MEASURE_BUDGET, firstStepMs: 1000 + 3 * wasmStepMs };
}

/** A training batch of `spec`'s shape with seeded token ids: what a step costs does not depend on them. */
export function measureBatch(spec: EngineSpec): TokenBatch {
  const { batchSize: B, contextLength: T, vocabSize: V } = spec;
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  let x = 12345;
  for (let i = 0; i < B * T; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    inputs[i] = 3 + (x % Math.max(1, V - 3));
  }
  for (let i = 0; i < B * T; i++) targets[i] = (i + 1) % T === 0 ? -1 : inputs[i + 1]!;
  return { inputs, targets, batchSize: B };
}

const later = (ms: number) => new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), ms));

/**
 * Times training steps of `engine` (a fresh one, for `spec`): one untimed first step (it builds the
 * graph), then steps until `budget.timedMs` has passed. A first step still running after
 * `budget.firstStepMs` is not waited for: the backend is then known only to be slower than one
 * batch in that time, and `abandoned` receives a promise that settles once that step has ended and
 * the engine is disposed (nothing else may run on that backend before: onnxruntime-web's WebGPU
 * backend does not survive two sessions running at once). Otherwise the engine is disposed before
 * this returns.
 */
export async function measureEngine(
  engine: Engine,
  label: string,
  backend: BrowserBackend,
  budget: MeasureBudget = MEASURE_BUDGET,
  now: () => number = () => performance.now(),
  abandoned: (settled: Promise<void>) => void = () => {},
): Promise<Measurement> {
  const batch = measureBatch(engine.spec);
  const tokens = batch.batchSize * engine.spec.contextLength;
  const first = engine.trainStep(batch);
  const won = Number.isFinite(budget.firstStepMs)
    ? await Promise.race([first.then(() => 'done' as const), later(budget.firstStepMs)])
    : await first.then(() => 'done' as const);
  if (won === 'late') {
    // A GPU step cannot be cut: release the engine whenever it ends.
    abandoned(
      first
        .then(
          () => engine.dispose(),
          () => engine.dispose(),
        )
        .catch(() => {}),
    );
    return {
      backend,
      label,
      tokensPerSecond: tokens / (budget.firstStepMs / 1000),
      slowerThan: true,
      steps: 0,
      waitedMs: budget.firstStepMs,
    };
  }
  try {
    let steps = 0;
    const start = now();
    do {
      await engine.trainStep(batch);
      steps++;
    } while (steps < budget.maxSteps && now() - start < budget.timedMs);
    const seconds = Math.max(now() - start, 1e-3) / 1000;
    return { backend, label, tokensPerSecond: (steps * tokens) / seconds, slowerThan: false, steps };
  } finally {
    await engine.dispose();
  }
}

/** "13.1k", "390", "1.2M". */
export function formatRate(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)}k`;
  return `${Math.round(x)}`;
}

/** The faster backend and the backend line: "WASM: 13.1k tokens/s; WebGPU (…): 390 tokens/s — using WASM". */
export function pickFaster(measured: readonly Measurement[]): {
  backend: BrowserBackend;
  reason: string;
  /** The chosen backend's measured training speed (an upper bound if it was `slowerThan`). */
  tokensPerSecond: number;
} {
  if (measured.length === 0) throw new Error('no backend was measured');
  // A backend known only to be slower than its bound loses to any measured one at or above it.
  const best = [...measured]
    .filter((m) => !m.error)
    .sort((a, b) => b.tokensPerSecond - a.tokensPerSecond || Number(a.slowerThan) - Number(b.slowerThan))[0];
  if (!best)
    throw new Error(`no backend could train: ${measured.map((m) => `${m.label}: ${m.error}`).join('; ')}`);
  const parts = measured.map((m) =>
    m.error
      ? `${m.label}: failed (${m.error})`
      : `${m.label}: ${m.slowerThan ? 'under ' : ''}${formatRate(m.tokensPerSecond)} tokens/s` +
        (m.slowerThan
          ? ` (its first step had not ended after ${((m.waitedMs ?? 0) / 1000).toFixed(1)} s)`
          : ''),
  );
  return {
    backend: best.backend,
    reason: `${parts.join('; ')} — using ${best.label}`,
    tokensPerSecond: best.tokensPerSecond,
  };
}

/**
 * Measures WASM (its first step waited for), then WebGPU within webgpuBudget, each on a fresh engine
 * from `create`; a backend that fails to build or train is reported with its error.
 */
export async function measureBoth(
  create: (backend: BrowserBackend) => Promise<Engine>,
  labels: Record<BrowserBackend, string>,
  abandoned?: (settled: Promise<void>) => void,
  now?: () => number,
): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const backend of ['wasm', 'webgpu'] as const) {
    const label = labels[backend];
    try {
      const engine = await create(backend);
      const tokens = engine.spec.batchSize * engine.spec.contextLength;
      const budget = backend === 'wasm' ? MEASURE_BUDGET : webgpuBudget(results[0]!, tokens);
      results.push(await measureEngine(engine, label, backend, budget, now, abandoned));
    } catch (e) {
      const error = (e as Error).message;
      results.push({ backend, label, tokensPerSecond: 0, slowerThan: false, steps: 0, error });
    }
  }
  return results;
}
