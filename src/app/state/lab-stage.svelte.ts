// What the lab's stage shows: a recorded run replaying until a run of this page takes its place (a first
// visit sees collapse unfold without training anything), and which of the run's generations are on
// screen — all of them as they finish, or fewer when stepped back through in presentation mode.
import type { GenerationRecord, RunRecord } from '../../sim/record.ts';
import { Replay } from '../embed/replay.svelte.ts';
import type { LabRun } from './lab-run.svelte.ts';

export class LabStage {
  /** The recorded run replayed while no run of this page is on screen. */
  readonly replay = new Replay();
  /** Presentation mode: the stage full-screen, in large type, driven from the keyboard. */
  presenting = $state(false);
  /** Generations of the run `run` on screen (null: all of them, following the latest). */
  private cursor = $state.raw<{ run: string | null; shown: number } | null>(null);
  private readonly run: LabRun;

  /** Whether the recorded run is on screen (no run of this page has been started or opened). */
  readonly replaying = $derived.by(() => this.run.status === 'idle' && this.replay.main !== null);
  /** Every generation of what is on screen. */
  readonly all: readonly GenerationRecord[] = $derived.by(() =>
    this.replaying ? (this.replay.main?.record.generations ?? []) : this.run.generations,
  );
  /** The generations on screen, generation 0 first. */
  readonly shown: readonly GenerationRecord[] = $derived.by(() => {
    if (this.replaying) return this.replay.generations;
    const c = this.cursor;
    return c && c.run === this.run.id ? this.run.generations.slice(0, c.shown) : this.run.generations;
  });
  /** The record of what is on screen (its config, corpus). */
  readonly record: RunRecord | null = $derived.by(() =>
    this.replaying ? (this.replay.main?.record ?? null) : this.run.record,
  );

  constructor(run: LabRun) {
    this.run = run;
  }

  /** The last generation of what is on screen once finished (a replay's, or the run's config's). */
  readonly lastGeneration = $derived.by(() =>
    this.replaying
      ? (this.all.at(-1)?.generation ?? 1)
      : Math.max(this.run.config?.generations ?? 1, this.all.at(-1)?.generation ?? 1),
  );

  /** Starts the recorded run `id` (the first listed when unknown) from generation 0. */
  async startReplay(id: string | null): Promise<void> {
    await this.replay.load(id);
  }

  /** Shows `delta` generations more (or fewer), between generation 0 alone and all of them. */
  step(delta: number): void {
    if (this.replaying) {
      this.replay.seek(this.replay.shown + delta);
      return;
    }
    const n = this.all.length;
    if (!n) return;
    const next = Math.max(1, Math.min(n, this.shown.length + delta));
    this.cursor = next >= n ? null : { run: this.run.id, shown: next };
  }
}
