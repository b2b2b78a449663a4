// One run under control: start, pause, resume, single generations, stop, and moves to other engines,
// over one Simulation driven a generation at a time. The browser worker and the Node CLI run through it
// alike; what differs between them (engines, how messages get in, how a lost device is told) is passed in.
import type { BackendName, Weights } from '../engine/types.ts';
import type { RunRecord } from './record.ts';
import { Simulation, type SimulationEvent, type SimulationOptions } from './simulation.ts';

/**
 * Lifecycle of a controlled run. `ready`: created, not started. `pausing`/`stopping`: asked to halt,
 * finishing the current training step. `paused`: halted with completed generations kept, resumable.
 * `stopped`, `done` and `failed` are final.
 */
export type ControllerStatus =
  'ready' | 'running' | 'pausing' | 'paused' | 'stopping' | 'stopped' | 'done' | 'failed';

/** What a controlled run reports: the simulation's own events, and the controller's. */
export type ControllerEvent =
  | SimulationEvent
  | { type: 'status'; status: ControllerStatus }
  /** Why the run failed: the record's message (a divergence names generation, step and what to try). */
  | { type: 'error'; message: string }
  /** The run moved to other engines (after a lost device, or as asked); `message` tells the user. */
  | { type: 'backend'; backend: BackendName; backendReason: string; message: string };

export type EngineFactory = SimulationOptions['createEngine'];

/** Where a run goes on after its engines were lost, and what to tell the user. */
export interface Recovery {
  backend: BackendName;
  createEngine: EngineFactory;
  /** The record's new backendReason. */
  backendReason: string;
  message: string;
}

export interface RunControllerOptions extends Omit<SimulationOptions, 'onEvent'> {
  onEvent?: (e: ControllerEvent) => void;
  /**
   * Called when a generation fails, with the generation and the backend it ran on: engines to go on
   * with, from the start of that generation, or null where the failure ends the run (a divergence).
   */
  recover?: (error: unknown, at: { generation: number; backend: BackendName }) => Promise<Recovery | null>;
  /** Awaited before each generation starts (the browser worker lets its messages in there). */
  beforeGeneration?: () => Promise<void>;
}

/** Backends as the user reads them. */
export const backendLabel: Record<BackendName, string> = {
  wasm: 'WASM (CPU)',
  webgpu: 'WebGPU',
  node: 'Node',
  ngram: 'n-gram',
};

/** "", "; generation 0 is kept", "; generations 0–4 are kept": the generations before generation `g`. */
export const keptBefore = (g: number): string =>
  g > 1 ? `; generations 0–${g - 1} are kept` : g ? '; generation 0 is kept' : '';

const FINAL: readonly ControllerStatus[] = ['stopped', 'done', 'failed'];

export class RunController {
  private state: ControllerStatus = 'ready';
  /** The model's weights and optimiser state as generation `generation` started. */
  private checkpoint?: { generation: number; weights: Weights };
  /** Where the running loop should halt, once asked to. */
  private haltTo: 'paused' | 'stopped' | null = null;
  private loop: Promise<void> | null = null;
  /** What failed the run, for run(). */
  private failure: unknown;
  private ended: Promise<void>;
  private end = () => {};

  private constructor(
    readonly simulation: Simulation,
    private o: RunControllerOptions,
  ) {
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  /** Sets up the run (world, corpora, model), status `ready`. */
  static async create(o: RunControllerOptions): Promise<RunController> {
    const { onEvent, recover: _recover, beforeGeneration: _before, ...options } = o;
    const simulation = await Simulation.create({ ...options, ...(onEvent ? { onEvent } : {}) });
    const c = new RunController(simulation, o);
    c.setStatus('ready');
    return c;
  }

  get status(): ControllerStatus {
    return this.state;
  }

  get record(): RunRecord {
    return this.simulation.record;
  }

  /** Whether generations are being run now (running, pausing or stopping). */
  get busy(): boolean {
    return this.loop !== null;
  }

  /** Runs every remaining generation; resolves when the run halts (paused, stopped, done or failed). */
  start(): Promise<void> {
    if (this.state !== 'ready') throw new Error(`cannot start a run that is ${this.state}`);
    return this.go(Infinity, false);
  }

  /** Halts after the current training step, keeping completed generations; resolves once halted. */
  async pause(): Promise<void> {
    if (this.state === 'running') await this.halt('paused');
  }

  /**
   * Continues a paused run: the interrupted generation starts again from its own beginning.
   * Resolves when the run halts again.
   */
  resume(): Promise<void> {
    if (this.state !== 'paused') return Promise.resolve();
    return this.go(Infinity, true);
  }

  /** Runs exactly one more generation of a ready or paused run, then pauses; resolves when done. */
  async stepGeneration(): Promise<void> {
    if (this.state === 'paused' || this.state === 'ready') await this.go(1, true);
  }

  /** Ends the run for good (completed generations are kept); resolves once halted. */
  async stop(): Promise<void> {
    if (this.loop) await this.halt('stopped');
    else if (this.state === 'ready' || this.state === 'paused') {
      this.record.status = 'stopped';
      this.setStatus('stopped');
    }
  }

  /**
   * Starts a ready run or resumes a paused one, and waits for its end: resolves with the record once
   * it is done or stopped, rejects with what failed it (the record then holds 'failed' and the message).
   */
  async run(): Promise<RunRecord> {
    if (this.state === 'ready') void this.start();
    else if (this.state === 'paused') void this.resume();
    await this.ended;
    if (this.state === 'failed') throw this.failure;
    return this.record;
  }

  /** Whether switchEngines(backend) would move the run now. */
  canSwitchTo(backend: BackendName): boolean {
    const from = this.record.environment.backend;
    // The n-gram model runs on no other backend.
    return from !== 'ngram' && from !== backend && ['running', 'paused', 'ready'].includes(this.state);
  }

  /**
   * Moves the run onto `createEngine`'s engines on `backend`: finished generations are kept and the
   * generation in progress starts again there, from its own beginning; a running run goes on.
   */
  async switchEngines(backend: BackendName, createEngine: EngineFactory): Promise<void> {
    if (!this.canSwitchTo(backend)) return;
    const s = this.simulation;
    const from = this.record.environment.backend;
    const going = this.state === 'running';
    if (this.loop) await this.halt('paused');
    // The last generation may have finished, or failed, before the halt landed.
    if (this.state !== 'paused' && this.state !== 'ready') return;
    const g = s.completed;
    const weights = this.checkpointAt(g) ?? (await s.modelWeights());
    await s.rewind();
    await s.moveTo(createEngine, weights);
    this.record.environment.backendReason += `; moved from ${backendLabel[from]} at generation ${g}, as asked`;
    this.emit({
      type: 'backend',
      backend,
      backendReason: this.record.environment.backendReason,
      message: `The run moved to ${backendLabel[backend]} from the start of generation ${g}${keptBefore(g)}.`,
    });
    if (going) void this.go(Infinity, false);
  }

  /** Stops a running loop (as stop does) and frees the engines. */
  async dispose(): Promise<void> {
    if (this.loop) await this.halt('stopped');
    await this.simulation.dispose();
  }

  private emit(e: ControllerEvent): void {
    this.o.onEvent?.(e);
  }

  private setStatus(s: ControllerStatus): void {
    this.state = s;
    this.emit({ type: 'status', status: s });
    if (FINAL.includes(s)) this.end();
  }

  /** The checkpoint, if it is of the start of generation `g`. */
  private checkpointAt(g: number): Weights | undefined {
    return this.checkpoint?.generation === g ? this.checkpoint.weights : undefined;
  }

  private go(limit: number, rewind: boolean): Promise<void> {
    this.loop = this.generations(limit, rewind);
    return this.loop;
  }

  /** Asks the loop to halt after the current training step, and waits for it. */
  private async halt(to: 'paused' | 'stopped'): Promise<void> {
    this.haltTo = to;
    this.setStatus(to === 'paused' ? 'pausing' : 'stopping');
    this.simulation.stop();
    await this.loop;
  }

  /**
   * Runs up to `limit` generations, until asked to halt. With `rewind`, the generation a halt
   * interrupted starts again from its checkpoint, so that a paused run gives the same record as an
   * uninterrupted one.
   */
  private async generations(limit: number, rewind: boolean): Promise<void> {
    const s = this.simulation;
    this.setStatus('running');
    let ran = 0;
    try {
      for (;;) {
        try {
          if (rewind) {
            rewind = false;
            await s.rewind(this.checkpointAt(s.completed));
          }
          while (!s.finished && this.haltTo === null && ran < limit) {
            await this.o.beforeGeneration?.();
            this.checkpoint = { generation: s.completed, weights: await s.modelWeights() };
            // A halt that arrived during the awaits above must win: nextGeneration clears the
            // simulation's stop signal as it begins, so the request would otherwise be lost.
            if (this.haltTo !== null) break;
            if (await s.nextGeneration()) ran++;
          }
          break;
        } catch (e) {
          if (!(await this.recover(e).catch(() => false))) throw e;
        }
      }
    } catch (e) {
      this.loop = null;
      this.haltTo = null;
      this.fail(e);
      return;
    }
    const to = this.haltTo;
    this.loop = null;
    this.haltTo = null;
    if (s.record.status === 'done') this.setStatus('done');
    else if (to === 'stopped') {
      s.record.status = 'stopped';
      this.setStatus('stopped');
    } else this.setStatus('paused');
  }

  /**
   * After a failure: where the recover hook offers other engines, moves the run onto them, back at the
   * start of the generation it was in (its checkpoint), and tells the user. False if it does not.
   */
  private async recover(error: unknown): Promise<boolean> {
    const s = this.simulation;
    const g = s.completed;
    const weights = this.checkpointAt(g);
    if (!this.o.recover || !weights) return false;
    const to = await this.o.recover(error, { generation: g, backend: this.record.environment.backend });
    if (!to) return false;
    await s.moveTo(to.createEngine, weights);
    this.record.environment.backendReason = to.backendReason;
    this.emit({ type: 'backend', backend: to.backend, backendReason: to.backendReason, message: to.message });
    return true;
  }

  private fail(error: unknown): void {
    const r = this.record;
    const message = r.error ?? (error as Error).message;
    // nextGeneration records its own failures; one outside a generation is recorded here.
    if (r.status !== 'failed') {
      r.status = 'failed';
      r.error = message;
    }
    this.failure = error;
    this.emit({ type: 'error', message });
    this.setStatus('failed');
  }
}
