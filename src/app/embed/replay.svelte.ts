// The embed's replay of a recorded run: generations appear one after another, like a run in fast
// forward, and can be paused or scrubbed. The run it is compared with is revealed in step.
import type { GenerationRecord, RunRecord } from '../../sim/record.ts';
import type { RecordedRunEntry } from '../../sim/recorded-runs.ts';
import { loadIndex, loadRecord } from './recorded.ts';

/** Time between two generations of the replay, and the longest a whole replay takes. */
export const REPLAY_STEP_MS = 400;
export const REPLAY_MAX_MS = 8000;

export interface LoadedRun {
  entry: RecordedRunEntry;
  record: RunRecord;
}

export class Replay {
  /** Every recorded run shipped with the site. */
  entries = $state.raw<RecordedRunEntry[]>([]);
  main = $state.raw<LoadedRun | null>(null);
  compare = $state.raw<LoadedRun | null>(null);
  /** Generations revealed so far (1 = only generation 0). */
  shown = $state(0);
  playing = $state(false);
  error = $state('');
  private timer: ReturnType<typeof setInterval> | undefined;

  readonly total = $derived(this.main?.record.generations.length ?? 0);
  readonly generations: GenerationRecord[] = $derived(
    this.main?.record.generations.slice(0, this.shown) ?? [],
  );
  readonly compareGenerations: GenerationRecord[] = $derived(
    this.compare?.record.generations.slice(0, this.shown) ?? [],
  );

  /** Loads the run called `id` (the first listed when null or unknown) and starts playing it. */
  async load(id: string | null, autoplay = true): Promise<void> {
    this.pause();
    this.error = '';
    try {
      if (!this.entries.length) this.entries = await loadIndex();
      const entry = this.entries.find((e) => e.id === id) ?? this.entries[0];
      if (!entry) throw new Error('no recorded runs are listed in runs/index.json');
      if (id && entry.id !== id)
        this.error = `There is no recorded run '${id}'; showing '${entry.id}' instead.`;
      const other = this.entries.find((e) => e.id === entry.compareWith);
      const [record, compareRecord] = await Promise.all([
        loadRecord(entry),
        other ? loadRecord(other) : Promise.resolve(null),
      ]);
      this.main = { entry, record };
      this.compare = other && compareRecord ? { entry: other, record: compareRecord } : null;
    } catch (e) {
      this.error = `The recorded run could not be loaded: ${(e as Error).message}`;
      return;
    }
    this.shown = 1;
    if (autoplay) this.play();
  }

  play(): void {
    if (!this.main) return;
    if (this.shown >= this.total) this.shown = 1;
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.shown = this.total;
      return;
    }
    this.playing = true;
    clearInterval(this.timer);
    this.timer = setInterval(
      () => {
        this.shown = Math.min(this.total, this.shown + 1);
        if (this.shown >= this.total) this.pause();
      },
      Math.min(REPLAY_STEP_MS, REPLAY_MAX_MS / this.total),
    );
  }

  pause(): void {
    this.playing = false;
    clearInterval(this.timer);
  }

  /** Shows generations 0 … n − 1 and stops playing. */
  seek(n: number): void {
    this.pause();
    this.shown = Math.max(1, Math.min(this.total, Math.round(n)));
  }

  dispose(): void {
    this.pause();
  }
}
