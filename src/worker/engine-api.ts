// The one typed contract between the page and the engine worker (comlink).
import type { BackendRequest } from '../engine/types.ts';

export interface EngineStatus {
  backend: string;
  reason: string;
  parameters: number;
}

export interface EngineWorkerApi {
  /** Create an engine for the default model on a small random-token task. */
  init(backend: BackendRequest, seed: number): Promise<EngineStatus>;
  /** Train `steps` AdamW steps; `onStep` receives each loss as it is computed. */
  train(
    steps: number,
    onStep: (step: number, loss: number) => void,
  ): Promise<{ losses: number[]; msPerStep: number }>;
}
