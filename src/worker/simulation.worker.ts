// Module Web Worker that owns the run, so training never blocks the page: a comlink adapter over the
// run controller (src/sim/run-controller.ts), with what only a browser needs — batched events, engine
// calls that let the page's messages in, and the move to WASM when the WebGPU device is lost.
import * as Comlink from 'comlink';
import { chooseBackend, createBrowserEngine, webgpuLost } from '../engine/browser.ts';
import type { BackendName, Engine } from '../engine/types.ts';
import { modelSpec } from '../model/architectures.ts';
import { parameterCount, type EngineSpec } from '../model/spec.ts';
import { defaultConfig } from '../sim/config.ts';
import { keptBefore, RunController, type ControllerEvent, type Recovery } from '../sim/run-controller.ts';
import { parseUserCorpus } from '../world/user-corpus.ts';
import { dependencies, version } from '../../package.json';
import {
  FLUSH_MS,
  type PageBackendRequest,
  type SimulationWorkerApi,
  type WorkerEvent,
  type WorkerListener,
} from './simulation-api.ts';

let run: RunController | undefined;

// ---- events: progress and losses are held for up to FLUSH_MS and sent in one message ----
let listener: WorkerListener | undefined;
let pending: WorkerEvent[] = [];
let lastFlush = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function flush(): void {
  clearTimeout(timer);
  timer = undefined;
  lastFlush = performance.now();
  if (!pending.length) return;
  const batch = pending;
  pending = [];
  listener?.(batch);
}

/** Queue an event; status, generations and errors go out at once, with everything queued before them. */
function send(e: WorkerEvent): void {
  const last = pending.at(-1);
  if (e.type === 'phase') {
    // Only the latest progress matters.
    pending = pending.filter((p) => p.type !== 'phase');
    pending.push(e);
  } else if (
    e.type === 'losses' &&
    last?.type === 'losses' &&
    last.generation === e.generation &&
    last.firstStep + last.losses.length === e.firstStep
  ) {
    for (const x of e.losses) last.losses.push(x);
  } else pending.push(e);
  const urgent = e.type === 'status' || e.type === 'generation' || e.type === 'error';
  // Checked on every event as well as by the timer: a single-threaded WASM step may never yield to
  // the timer queue between steps, and the page must still see the losses come in.
  if (urgent || performance.now() - lastFlush >= FLUSH_MS) flush();
  else timer ??= setTimeout(flush, FLUSH_MS);
}

function onControllerEvent(e: ControllerEvent): void {
  if (e.type === 'step')
    send({ type: 'losses', generation: e.generation, firstStep: e.step, losses: [e.loss] });
  else send(e);
}

// ---- letting messages in ----

// onnxruntime-web's single-threaded WASM runs a whole session synchronously and resolves its promise
// with microtasks only, so a training loop never returns to the worker's task queue: pause and stop
// messages (and the flush timer) would wait until the generation ends. Engine calls therefore first
// yield one task, at most every YIELD_MS. A MessageChannel task is not clamped to 4 ms as nested
// timeouts are.
const YIELD_MS = 25;
let lastYield = 0;
const waiting: (() => void)[] = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => waiting.shift()?.();

function yieldToMessages(): Promise<void> {
  if (performance.now() - lastYield < YIELD_MS) return Promise.resolve();
  return new Promise((resolve) => {
    waiting.push(() => {
      lastYield = performance.now();
      resolve();
    });
    channel.port2.postMessage(0);
  });
}

/** `engine`, with its compute calls yielding to the worker's messages first. */
function yielding(engine: Engine): Engine {
  const slow = new Set<PropertyKey>(['trainStep', 'evaluate', 'sample']);
  return new Proxy(engine, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      // Bound to the engine itself: its private fields are not reachable through the proxy.
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      return slow.has(key)
        ? async (...args: unknown[]) => {
            await yieldToMessages();
            return Reflect.apply(method, undefined, args);
          }
        : method;
    },
  });
}

// ---- engines ----

/** Engines on `backend` for the run, their compute calls letting the page's messages in. */
const engineFactory =
  (backend: PageBackendRequest) =>
  async (spec: EngineSpec, seed: number): Promise<Engine> =>
    yielding(await createBrowserEngine({ backend, spec, seed }));

/**
 * After a failure on WebGPU: if the device was lost, the run goes on on WASM, from the start of the
 * generation it was in. Null if this was not a lost GPU.
 */
async function recoverFromLostGpu(
  _error: unknown,
  { generation: g, backend }: { generation: number; backend: BackendName },
): Promise<Recovery | null> {
  if (backend !== 'webgpu') return null;
  // The device's `lost` promise settles in a task of its own, at about the time the failure lands.
  const why = await Promise.race([
    webgpuLost(),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000)),
  ]);
  if (why === null) return null;
  return {
    backend: 'wasm',
    createEngine: engineFactory('wasm'),
    backendReason: `WASM (CPU) after the WebGPU device was lost in generation ${g} (${why})`,
    message:
      `The GPU was lost during generation ${g} (${why}). The run goes on on WASM (CPU), from the start of ` +
      `generation ${g}${keptBefore(g)}.`,
  };
}

function current(): RunController {
  if (!run) throw new Error('no run: call create first');
  return run;
}

const api: SimulationWorkerApi = {
  probeBackend: (request, size) =>
    chooseBackend(
      request,
      size && size.model !== 'ngram'
        ? modelSpec(size.model, { batchSize: size.batchSize, learningRate: defaultConfig.learningRate })
        : undefined,
      { measure: !run?.busy },
    ),

  async create(config, backend, corpusInput) {
    const parsed = corpusInput && parseUserCorpus(corpusInput.text, corpusInput);
    if (parsed && !parsed.ok) throw new Error(`Your corpus: ${parsed.error}`);
    await run?.dispose();
    run = undefined;
    const r = await RunController.create({
      config,
      ...(parsed ? { corpus: parsed.corpus } : {}),
      createEngine: engineFactory(backend),
      environment: {
        versions: { ouroboros: version, 'onnxruntime-web': dependencies['onnxruntime-web'] },
        userAgent: navigator.userAgent,
      },
      onEvent: onControllerEvent,
      recover: recoverFromLostGpu,
      // Messages waiting since the engine last yielded get in before the next generation begins.
      beforeGeneration: yieldToMessages,
    });
    run = r;
    return {
      backend: r.record.environment.backend,
      backendReason: r.record.environment.backendReason,
      vocabSize: r.simulation.setup.tokenizer.vocabSize,
      parameters: r.simulation.setup.spec.kind === 'ngram' ? null : parameterCount(r.simulation.setup.spec),
      record: structuredClone(r.record),
    };
  },

  subscribe(l) {
    listener = l;
  },

  async start() {
    void current().start();
  },

  async pause() {
    await run?.pause();
  },

  async resume() {
    void run?.resume();
  },

  async stepGeneration() {
    await run?.stepGeneration();
  },

  async switchBackend(to) {
    if (!run?.canSwitchTo(to)) return;
    await chooseBackend(to); // throws, naming why, where `to` is not available
    await run.switchEngines(to, engineFactory(to));
  },

  async stop() {
    await run?.stop();
  },
};

Comlink.expose(api);
