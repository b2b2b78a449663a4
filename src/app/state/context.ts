// The lab's state, shared with every component through Svelte context.
import { createContext } from 'svelte';
import type { LabBackend } from './lab-backend.svelte.ts';
import type { LabConfig } from './lab-config.svelte.ts';
import type { LabEstimate } from './lab-estimate.svelte.ts';
import type { LabRun } from './lab-run.svelte.ts';
import type { LabRuns } from './lab-runs.svelte.ts';
import type { LabStage } from './lab-stage.svelte.ts';

export interface Lab {
  /** The config of the next run, mirrored in the URL. */
  config: LabConfig;
  /** The run on screen. */
  run: LabRun;
  /** Saved runs and overlays. */
  runs: LabRuns;
  /** What the requested backend resolves to. */
  backend: LabBackend;
  /** What the stage shows: the recorded replay or the run, and how many of its generations. */
  stage: LabStage;
  /** How long runs take here. */
  estimate: LabEstimate;
}

export const [getLab, setLab] = createContext<Lab>();
