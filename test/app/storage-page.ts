// Exposes the saved-runs store and the lab's saved-runs class on window.storage for storage.test.ts.
import { LabRuns } from '../../src/app/state/lab-runs.svelte.ts';
import { RunsDb } from '../../src/app/state/runs-db.ts';

export const storage = { RunsDb, LabRuns };
export type Storage = typeof storage;

declare global {
  interface Window {
    storage: Storage;
  }
}

window.storage = storage;
document.body.dataset.ready = 'true';
