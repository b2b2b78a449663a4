// Module Web Worker that owns the simulation, so training never blocks the page. It drives the run one
// generation at a time (nextGeneration) so that pause, resume and single steps sit between calls.
import * as Comlink from 'comlink';
import { chooseBackend, createBrowserEngine, webgpuLost } from '../engine/browser.ts';
import type { Engine, Weights } from '../engine/types.ts';
import { modelSpec } from '../model/architectures.ts';
import { parameterCount, type EngineSpec } from '../model/spec.ts';
import { defaultConfig } from '../sim/config.ts';
import { Simulation, type SimulationEvent } from '../sim/simulation.ts';
import { parseUserCorpus } from '../world/user-corpus.ts';
import { dependencies, version } from '../../package.json';
import {
  FLUSH_MS,
  type PageBackendRequest,
  type SimulationWorkerApi,
  type WorkerEvent,
  type WorkerListener,
  type WorkerStatus,
} from './simulation-api.ts';

let sim: Simulation | undefined;
/** The run's model engine (the first one the simulation asks for; the second is generation 0's copy). */
let modelEngine: Engine | undefined;
/** The model's weights and optimiser state as the current generation started, for a clean resume. */
let checkpoint: Weights | undefined;
let status: WorkerStatus = 'ready';
/** Where the running loop should halt, once asked to. */
let haltTo: 'paused' | 'stopped' | null = null;
let loop: Promise<void> | null = null;

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

function onSimulationEvent(e: SimulationEvent): void {
  if (e.type === 'step')
    send({ type: 'losses', generation: e.generation, firstStep: e.step, losses: [e.loss] });
  else send(e);
}

function setStatus(s: WorkerStatus): void {
  status = s;
  send({ type: 'status', status: s });
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

// ---- the run loop ----

/** Engines on `backend` for the simulation; the first one made is the model (the second, gen 0's copy). */
const engineFactory =
  (backend: PageBackendRequest) =>
  async (spec: EngineSpec, seed: number): Promise<Engine> => {
    const engine = yielding(await createBrowserEngine({ backend, spec, seed }));
    modelEngine ??= engine;
    return engine;
  };

/**
 * After a failure on WebGPU: if the device was lost, move the run to WASM, back at the start of the
 * generation it was in (its checkpoint), and tell the page. False if this was not a lost GPU.
 */
async function moveOffLostGpu(s: Simulation): Promise<boolean> {
  if (modelEngine?.backend !== 'webgpu' || !checkpoint) return false;
  // The device's `lost` promise settles in a task of its own, at about the time the failure lands.
  const why = await Promise.race([
    webgpuLost(),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000)),
  ]);
  if (why === null) return false;
  const g = s.completed;
  modelEngine = undefined;
  await s.moveTo(engineFactory('wasm'), checkpoint);
  s.record.environment.backendReason = `WASM (CPU) after the WebGPU device was lost in generation ${g} (${why})`;
  send({
    type: 'backend',
    backend: 'wasm',
    backendReason: s.record.environment.backendReason,
    message:
      `The GPU was lost during generation ${g} (${why}). The run goes on on WASM (CPU), from the start of ` +
      `generation ${g}${g ? `; generations 0–${g - 1} are kept` : ''}.`,
  });
  return true;
}

async function runGenerations(s: Simulation, limit: number): Promise<void> {
  setStatus('running');
  let ran = 0;
  for (;;) {
    try {
      while (!s.finished && haltTo === null && ran < limit) {
        // Messages waiting since the engine last yielded get in before the next generation begins.
        await yieldToMessages();
        if (modelEngine) checkpoint = await modelEngine.getWeights(true);
        // A pause that arrived during the awaits above must win: nextGeneration clears the
        // simulation's stop flag as it begins, so the request would otherwise be lost.
        if (haltTo !== null) break;
        if (await s.nextGeneration()) ran++;
      }
      break;
    } catch (e) {
      if (await moveOffLostGpu(s).catch(() => false)) continue;
      loop = null;
      haltTo = null;
      send({ type: 'error', message: s.record.error ?? (e as Error).message });
      setStatus('failed');
      return;
    }
  }
  const to = haltTo;
  loop = null;
  haltTo = null;
  if (s.record.status === 'done') setStatus('done');
  else if (to === 'stopped') {
    s.record.status = 'stopped';
    setStatus('stopped');
  } else setStatus('paused');
}

function startLoop(limit: number): Promise<void> {
  if (!sim) throw new Error('no run: call create first');
  loop = runGenerations(sim, limit);
  return loop;
}

/** Ask the loop to halt after the current training step, and wait for it. */
async function halt(to: 'paused' | 'stopped'): Promise<void> {
  haltTo = to;
  setStatus(to === 'paused' ? 'pausing' : 'stopping');
  sim?.stop();
  await loop;
}

/** Make a halted simulation runnable again, from the start of the generation it was in. */
async function rewind(s: Simulation): Promise<void> {
  // nextGeneration marks the record 'stopped' when interrupted, which also makes it `finished`.
  if (s.record.status === 'stopped') s.record.status = 'running';
  // The interrupted generation already took some training steps; restore the weights and optimiser
  // state it started from so that a paused run gives the same record as an uninterrupted one.
  if (modelEngine && checkpoint) await modelEngine.setWeights(checkpoint);
}

const api: SimulationWorkerApi = {
  probeBackend: (request, size) =>
    chooseBackend(
      request,
      size && size.model !== 'ngram'
        ? modelSpec(size.model, { batchSize: size.batchSize, learningRate: defaultConfig.learningRate })
        : undefined,
      { measure: !loop },
    ),

  async create(config, backend, corpusInput) {
    const parsed = corpusInput && parseUserCorpus(corpusInput.text, corpusInput);
    if (parsed && !parsed.ok) throw new Error(`Your corpus: ${parsed.error}`);
    if (loop) await halt('stopped');
    await sim?.dispose();
    sim = undefined;
    modelEngine = undefined;
    checkpoint = undefined;
    const s = await Simulation.create({
      config,
      ...(parsed ? { corpus: parsed.corpus } : {}),
      createEngine: engineFactory(backend),
      environment: {
        versions: { ouroboros: version, 'onnxruntime-web': dependencies['onnxruntime-web'] },
        userAgent: navigator.userAgent,
      },
      onEvent: onSimulationEvent,
    });
    sim = s;
    setStatus('ready');
    return {
      backend: s.record.environment.backend,
      backendReason: s.record.environment.backendReason,
      vocabSize: s.setup.tokenizer.vocabSize,
      parameters: s.setup.spec.kind === 'ngram' ? null : parameterCount(s.setup.spec),
      record: structuredClone(s.record),
    };
  },

  subscribe(l) {
    listener = l;
  },

  async start() {
    if (status !== 'ready') throw new Error(`cannot start a run that is ${status}`);
    void startLoop(Infinity);
  },

  async pause() {
    if (status === 'running') await halt('paused');
  },

  async resume() {
    if (status !== 'paused' || !sim) return;
    await rewind(sim);
    void startLoop(Infinity);
  },

  async stepGeneration() {
    if ((status !== 'paused' && status !== 'ready') || !sim) return;
    await rewind(sim);
    await startLoop(1);
  },

  async switchBackend(to) {
    const s = sim;
    const from = modelEngine?.backend;
    if (
      !s ||
      !modelEngine ||
      !from ||
      from === to ||
      from === 'ngram' ||
      !['running', 'paused', 'ready'].includes(status)
    )
      return;
    await chooseBackend(to); // throws, naming why, where `to` is not available
    const going = status === 'running';
    if (loop) await halt('paused');
    const g = s.completed;
    const weights = checkpoint ?? (await modelEngine.getWeights(true));
    if (s.record.status === 'stopped') s.record.status = 'running';
    modelEngine = undefined;
    await s.moveTo(engineFactory(to), weights);
    const name = { wasm: 'WASM (CPU)', webgpu: 'WebGPU', node: 'Node', ngram: 'n-gram' };
    s.record.environment.backendReason += `; moved from ${name[from]} at generation ${g}, as asked`;
    send({
      type: 'backend',
      backend: to,
      backendReason: s.record.environment.backendReason,
      message:
        `The run moved to ${name[to]} from the start of generation ${g}` +
        `${g > 1 ? `; generations 0–${g - 1} are kept` : g ? '; generation 0 is kept' : ''}.`,
    });
    if (going) void startLoop(Infinity);
  },

  async stop() {
    if (loop) await halt('stopped');
    else if (sim && (status === 'ready' || status === 'paused')) {
      sim.record.status = 'stopped';
      setStatus('stopped');
    }
  },
};

Comlink.expose(api);
