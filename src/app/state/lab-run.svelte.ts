// The run on screen: driven in the worker while live, or a saved run opened from the list. The worker
// pushes batches of events; this class folds them into state the components read.
import * as Comlink from 'comlink';
import type { Config } from '../../sim/config.ts';
import type { GenerationRecord, RunRecord } from '../../sim/record.ts';
import type {
  PageBackendRequest,
  CorpusInput,
  RunInfo,
  WorkerEvent,
  WorkerStatus,
} from '../../worker/simulation-api.ts';
import { remainingMs, runFraction, timePerGeneration, type PhaseProgress } from './progress.ts';
import { endSimulationWorker, onWorkerCrash, simulationWorker } from './worker.ts';

/**
 * How long a worker may take to honour Stop before it is ended from here. It checks for Stop between
 * engine calls (a training step, a sampling chunk, a scoring batch), each well under a second for the
 * shipped models; one that has not answered after this is stuck in a call that will not end soon.
 */
export const STOP_GRACE_MS = 5000;

/** `idle`: nothing on screen yet; `creating`: building the world and model; `saved`: a run from the list. */
export type RunStatus = 'idle' | 'creating' | 'saved' | WorkerStatus;

/** Where finished generations and status changes go to be saved (the runs list). */
export type SaveRun = (id: string, record: RunRecord) => void;

export class LabRun {
  status = $state<RunStatus>('idle');
  /** Id of the run in the saved-runs store. */
  id = $state<string | null>(null);
  /** Backend, vocabulary and parameter count of the live run. */
  info = $state.raw<RunInfo | null>(null);
  /** The record's fixed part (config, environment, createdAt) — generations are kept separately. */
  private header = $state.raw<RunRecord | null>(null);
  /** Finished generations, generation 0 first. */
  generations = $state.raw<GenerationRecord[]>([]);
  /** Training losses of the generation in progress, step 1 first. */
  losses = $state.raw<number[]>([]);
  /** Which generation `losses` belong to. */
  lossGeneration = $state(0);
  /** The latest progress of the generation in progress. */
  phase = $state.raw<PhaseProgress | null>(null);
  /** Why the run failed or could not start. */
  error = $state('');
  /** Something the user should know about the live run, e.g. that it moved to WASM after the GPU was lost. */
  notice = $state('');
  /** The run was moved to another backend as asked (it is offered once a run). */
  switched = $state(false);
  /** Your own corpus (the corpus panel sets it when valid): the next run trains on it, not the fact world. */
  corpus = $state.raw<CorpusInput | null>(null);
  /** Your own corpus is being checked: a run started now would silently use the fact world. */
  corpusChecking = $state(false);
  /** performance.now() when the generation in progress started (or resumed), and at the latest event. */
  private generationStart = $state(0);
  private now = $state(0);

  readonly config: Config | null = $derived(this.header?.config ?? null);
  readonly record: RunRecord | null = $derived(
    this.header && {
      ...this.header,
      generations: this.generations,
      status: this.status === 'saved' ? this.header.status : recordStatus(this.status),
      ...(this.error ? { error: this.error } : {}),
    },
  );
  readonly live = $derived(['running', 'pausing', 'stopping'].includes(this.status));
  readonly fraction = $derived(this.config ? runFraction(this.config, this.generations, this.phase) : 0);
  readonly perGeneration = $derived(timePerGeneration(this.generations));
  readonly remaining = $derived(
    this.config && this.live
      ? remainingMs(this.config, this.generations, this.phase, this.now - this.generationStart)
      : null,
  );

  constructor(private readonly save: SaveRun) {
    onWorkerCrash((message) => {
      this.error = message;
      this.status = 'failed';
      // Keep what finished: the record is saved as failed, with every completed generation.
      if (this.id && this.record) this.save(this.id, this.record);
    });
  }

  /** Builds a new run in the worker and runs it to the end, or only its generation 0. */
  async start(id: string, config: Config, backend: PageBackendRequest, oneGeneration = false): Promise<void> {
    const worker = simulationWorker();
    this.reset('creating');
    try {
      await worker.subscribe(Comlink.proxy((events: WorkerEvent[]) => this.receive(events)));
      const info = await worker.create(config, backend, this.corpus ?? undefined);
      this.id = id;
      this.info = info;
      this.header = info.record;
      this.save(id, info.record);
      this.markGenerationStart();
      if (oneGeneration) await worker.stepGeneration();
      else await worker.start();
    } catch (e) {
      this.error = (e as Error).message;
      this.status = 'failed';
    }
  }

  pause = (): Promise<void> => simulationWorker().pause();

  /**
   * Shows "Stopping…" at once and asks the worker to stop; a worker that has not answered within
   * STOP_GRACE_MS is ended, and the run is saved as stopped with every generation it had finished
   * (each was streamed here as it finished).
   */
  stop = async (): Promise<void> => {
    if (!['running', 'pausing', 'paused', 'ready'].includes(this.status)) return;
    const worker = simulationWorker();
    const id = this.id;
    if (this.status !== 'paused' && this.status !== 'ready') this.status = 'stopping';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answered = await Promise.race([
      worker.stop().then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    // Another run may have been shown or started meanwhile.
    if (answered || this.id !== id || this.status !== 'stopping') return;
    endSimulationWorker();
    this.status = 'stopped';
    this.phase = null;
    this.notice =
      `The simulation did not answer Stop within ${STOP_GRACE_MS / 1000} s (it was inside one long ` +
      `computation), so it was ended. ${keptText(this.generations.length)}`;
    if (this.id && this.record) this.save(this.id, this.record);
  };

  /** Moves the live run to `backend`, keeping finished generations; the current one starts again. */
  switchBackend = async (backend: 'wasm' | 'webgpu'): Promise<void> => {
    this.switched = true;
    try {
      await simulationWorker().switchBackend(backend);
      this.markGenerationStart();
    } catch (e) {
      this.notice = `The run stays where it is: ${(e as Error).message}.`;
    }
  };

  async resume(): Promise<void> {
    this.markGenerationStart();
    await simulationWorker().resume();
  }

  async stepGeneration(): Promise<void> {
    this.markGenerationStart();
    await simulationWorker().stepGeneration();
  }

  /** Shows a saved run (not live: it cannot be resumed). */
  show(id: string, record: RunRecord): void {
    this.reset('saved');
    this.id = id;
    const { generations, ...header } = record;
    this.header = { ...header, generations: [] };
    this.generations = generations;
    this.losses = generations.at(-1)?.losses.filter((x): x is number => x !== null) ?? [];
    this.lossGeneration = generations.at(-1)?.generation ?? 0;
    this.error = record.error ?? '';
  }

  private reset(status: RunStatus): void {
    this.status = status;
    this.id = null;
    this.info = null;
    this.header = null;
    this.generations = [];
    this.losses = [];
    this.lossGeneration = 0;
    this.phase = null;
    this.error = '';
    this.notice = '';
    this.switched = false;
  }

  private markGenerationStart(): void {
    this.generationStart = this.now = performance.now();
  }

  private receive(events: WorkerEvent[]): void {
    let losses = this.losses;
    for (const e of events) {
      switch (e.type) {
        case 'losses':
          // A resumed generation starts again at step 1.
          if (e.generation !== this.lossGeneration || e.firstStep === 1) losses = [];
          this.lossGeneration = e.generation;
          losses = [...losses.slice(0, e.firstStep - 1), ...e.losses];
          break;
        case 'phase':
          this.phase = e;
          break;
        case 'generation':
          this.generations = [...this.generations, e.generation];
          this.generationStart = performance.now();
          break;
        case 'error':
          this.error = e.message;
          break;
        case 'backend':
          // The run goes on elsewhere: the record says where, from this generation on.
          this.notice = e.message;
          if (this.info) this.info = { ...this.info, backend: e.backend, backendReason: e.backendReason };
          if (this.header)
            this.header = {
              ...this.header,
              environment: { ...this.header.environment, backend: e.backend, backendReason: e.backendReason },
            };
          break;
        case 'status':
          this.status = e.status;
          break;
      }
    }
    this.losses = losses;
    this.now = performance.now();
    const saves = events.some(
      (e) => e.type === 'generation' || (e.type === 'status' && e.status !== 'running'),
    );
    if (saves && this.id && this.record) this.save(this.id, this.record);
  }
}

/** "Generations 0–3 are kept." */
function keptText(n: number): string {
  if (n === 0) return 'No generation had finished.';
  return n === 1 ? 'Generation 0 is kept.' : `Generations 0–${n - 1} are kept.`;
}

/** The record's status for a run status. */
function recordStatus(s: RunStatus): RunRecord['status'] {
  if (s === 'done' || s === 'failed') return s;
  if (s === 'stopped' || s === 'paused') return 'stopped';
  return 'running';
}
