// The one typed contract between the page and the simulation worker (comlink). The page calls these
// methods through `Comlink.Remote<SimulationWorkerApi>`; the worker pushes everything else — progress,
// losses, finished generations, status, errors — to one listener passed with `Comlink.proxy`.
import type { BackendName, BackendRequest } from '../engine/types.ts';
import type { Config } from '../sim/config.ts';
import type { GenerationRecord, RunRecord } from '../sim/record.ts';
import type { ControllerStatus } from '../sim/run-controller.ts';
import type { Phase } from '../sim/simulation.ts';
import type { CorpusKind } from '../world/user-corpus.ts';

/** A user corpus as the page sends it: the text and what it holds; the worker parses it again. */
export interface CorpusInput {
  text: string;
  kind: CorpusKind;
  /** The file name, or "pasted text". */
  name: string;
}

/**
 * The backend requests a page may make: the browser's backends and `auto`, which times both where
 * WebGPU exists and takes the faster (Node's and the n-gram model are not offered there).
 */
export type PageBackendRequest = Extract<BackendRequest, 'auto' | 'webgpu' | 'wasm'>;

/** What `auto` measures: the model preset and the training batch (the settings that size a step). */
export type ModelSize = Pick<Config, 'model' | 'batchSize'>;

/** Which backend a request resolves to in this browser, and why. */
export interface BackendProbe {
  /** null: `auto`, to be measured when the run starts (a run is going now, or no model was named). */
  backend: 'webgpu' | 'wasm' | null;
  /**
   * Readable reason, e.g. "WASM: 13.1k tokens/s; WebGPU (software adapter, SwiftShader): 390 tokens/s
   * — using WASM" or "WASM (CPU) because …".
   */
  reason: string;
  /** Measured training speed (tokens a second) of `backend` for this model size, when `auto` timed it. */
  tokensPerSecond?: number;
}

/** What `create` reports about the run it set up. */
export interface RunInfo {
  /** Where the model runs (`ngram`: the count model, which needs no onnxruntime backend). */
  backend: RunRecord['environment']['backend'];
  backendReason: string;
  vocabSize: number;
  /** Trainable parameters of the GPT; null for the n-gram model. */
  parameters: number | null;
  /** The record as it starts: config, environment, createdAt, no generations yet. */
  record: RunRecord;
}

/** Lifecycle of the worker's run: its run controller's (src/sim/run-controller.ts). */
export type WorkerStatus = ControllerStatus;

/** One message from the worker. Events arrive in batches, in the order they happened. */
export type WorkerEvent =
  | { type: 'status'; status: WorkerStatus }
  /** Progress of the current generation's phase: training steps, documents written or evaluation parts. */
  | { type: 'phase'; generation: number; phase: Phase; done: number; total: number }
  /** Training losses of `generation` for steps firstStep, firstStep + 1, … (steps count from 1). */
  | { type: 'losses'; generation: number; firstStep: number; losses: number[] }
  /** A finished generation, with everything the record keeps about it. */
  | { type: 'generation'; generation: GenerationRecord }
  /** Why the run failed, e.g. a divergence message from the record. */
  | { type: 'error'; message: string }
  /** The run moved to another backend (WASM after the GPU was lost, or as asked); `message` tells the user. */
  | { type: 'backend'; backend: BackendName; backendReason: string; message: string };

/** Receives batches of events; the worker sends at most one batch every FLUSH_MS, except status changes. */
export type WorkerListener = (events: WorkerEvent[]) => void;

/** Longest the worker holds progress and losses before sending them. */
export const FLUSH_MS = 50;

export interface SimulationWorkerApi {
  /**
   * Which backend `request` gives here for this model size. `auto` with a WebGPU adapter times a few
   * training steps of that model on both (about two seconds, once per model size; not while a run
   * is going).
   */
  probeBackend(request: PageBackendRequest, model?: ModelSize): Promise<BackendProbe>;
  /**
   * Set up a run (world, corpora, model); any previous run is stopped and disposed. With `corpus`, the
   * run trains on it instead of the fact world (an invalid corpus rejects with the parser's message).
   */
  create(config: Config, backend: PageBackendRequest, corpus?: CorpusInput): Promise<RunInfo>;
  /** Register the one listener (a `Comlink.proxy`); replaces any earlier one. */
  subscribe(listener: WorkerListener): void;
  /** Run every remaining generation. Returns at once; progress arrives through the listener. */
  start(): Promise<void>;
  /** Halt after the current training step, keeping completed generations. Resolves once halted. */
  pause(): Promise<void>;
  /** Continue a paused run: the interrupted generation starts again from its own beginning. */
  resume(): Promise<void>;
  /** Run exactly one more generation, then pause. Resolves when it is done. */
  stepGeneration(): Promise<void>;
  /** End the run for good (completed generations are kept). Resolves once halted. */
  stop(): Promise<void>;
  /**
   * Move the run to `backend`: finished generations are kept and the generation in progress starts
   * again there, from its own beginning; a running run goes on. Rejects, with the run unchanged, if
   * `backend` is not available here.
   */
  switchBackend(backend: 'wasm' | 'webgpu'): Promise<void>;
}
