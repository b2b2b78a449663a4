// Exposes the saved-runs store and the lab's saved-runs class on window.storage for storage.test.ts,
// with window.runs for a LabRuns a test keeps across page.evaluate calls (one per tab).
import { LabRuns } from '../../src/app/state/lab-runs.svelte.ts';
import { jsonChars, RunDeletedError, RunsDb, StorageFullError } from '../../src/app/state/runs-db.ts';

export const storage = { RunsDb, LabRuns, RunDeletedError, StorageFullError, jsonChars };
export type Storage = typeof storage;

declare global {
  interface Window {
    storage: Storage;
    runs: LabRuns;
  }
}

window.storage = storage;
document.body.dataset.ready = 'true';
