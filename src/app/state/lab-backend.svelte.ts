// Which backend the next run will get in this browser (the WebGPU adapter, or WASM and why), asked of
// the worker itself because the worker's WebGPU is what the run will use.
import type { BackendProbe, PageBackendRequest, ModelSize } from '../../worker/simulation-api.ts';
import { simulationWorker } from './worker.ts';

/** How long the settings must stay put before `auto` is asked (and may measure). */
const AUTO_SETTLE_MS = 300;

export class LabBackend {
  /** The answer for the latest request, or null while asking. */
  probe = $state.raw<BackendProbe | null>(null);
  /** Why the latest request cannot be met (e.g. WebGPU asked for where there is no adapter). */
  error = $state('');
  /** Whether the page is cross-origin isolated, so WASM may use several threads. */
  readonly isolated = typeof crossOriginIsolated === 'boolean' && crossOriginIsolated;
  private asked = 0;

  /**
   * Asks which backend `request` gives for this model size (`auto` may time both backends first); a
   * later call wins over an earlier one still in flight.
   */
  async check(request: PageBackendRequest, size: ModelSize): Promise<void> {
    const ticket = ++this.asked;
    this.probe = null;
    this.error = '';
    // `auto` may time both backends for each model size: not for every keystroke of a batch size.
    if (request === 'auto') await new Promise((resolve) => setTimeout(resolve, AUTO_SETTLE_MS));
    if (ticket !== this.asked) return;
    try {
      const probe = await simulationWorker().probeBackend(request, size);
      if (ticket === this.asked) this.probe = probe;
    } catch (e) {
      if (ticket === this.asked) this.error = (e as Error).message;
    }
  }
}
