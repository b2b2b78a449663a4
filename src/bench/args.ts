// Command line of npm run bench: backends, presets, loop sizes.
import { parseArgs } from 'node:util';
import { modelPresets, type ModelPresetName } from '../model/architectures.ts';

export const VOCAB = 512;

export const BACKENDS = [
  'node',
  'wasm-node',
  'wasm-browser',
  'wasm-browser-coi',
  'webgpu-browser',
  'torch',
  'torch-1t',
] as const;
export type Backend = (typeof BACKENDS)[number];
export const BROWSER: readonly Backend[] = ['wasm-browser', 'wasm-browser-coi', 'webgpu-browser'];
export const PRESETS = Object.keys(modelPresets) as ModelPresetName[];

export const USAGE = `npm run bench -- [options]

Training and sampling tokens/s per model preset (vocabulary ${VOCAB}) and backend, with a PyTorch
peer doing the same work on the same CPU as the reference.

  --presets LIST       ${PRESETS.join(',')} (default: all)
  --backends LIST      ${BACKENDS.join(',')} (default: all available)
                         node             onnxruntime-node, CPU, --threads threads
                         wasm-node        onnxruntime-web WASM inside Node, --threads threads
                         wasm-browser     WASM in a Chromium module worker, page served without
                                          COOP/COEP, as a static host that cannot send them would
                                          (not cross-origin isolated: 1 WASM thread)
                         wasm-browser-coi the same page served with COOP/COEP as npm start and npm
                                          run preview serve the app (cross-origin isolated:
                                          onnxruntime-web may use WASM threads)
                         webgpu-browser   WebGPU in Chromium on SwiftShader, i.e. on the CPU; it says
                                          nothing about real GPUs. Slow: by default only nano, and
                                          only a couple of steps (see --webgpu-steps)
                         torch            src/bench/torch/peer_torch.py (PyTorch CPU, OpenBLAS, --threads threads):
                                          the reference of the ×torch columns
                         torch-1t         the same peer on 1 thread (OpenMP threads collapse when a
                                          core is busy with other work; this row shows by how much)
  --steps N            timed training steps per round (default: nano/tiny 20, small 6)
  --rounds N           timed rounds of training and of sampling; the best is reported (default 3)
  --sample-steps N     timed sample calls per round (default: nano/tiny 10, small 3)
  --sample-batch N     contexts per sample call (default 64)
  --generate-rows N    prompts per cached generate call, 64 new tokens each (default 256)
  --threads N          CPU threads for node, wasm-node and torch (default 2)
  --webgpu-steps N     cap on training steps and sample calls for webgpu-browser (default 2)
  --out FILE           JSON output (default bench/out/bench.json)
  --quick              a short run: fewer steps and rounds
  --help`;

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${v}'`);
  return n;
}

function list<T extends string>(name: string, v: string | undefined, all: readonly T[]): T[] | undefined {
  if (v === undefined) return undefined;
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of items)
    if (!all.includes(s as T)) throw new Error(`--${name}: unknown '${s}'; use ${all.join(', ')}`);
  return items as T[];
}

export function parse() {
  const { values } = parseArgs({
    options: {
      presets: { type: 'string' },
      backends: { type: 'string' },
      steps: { type: 'string' },
      rounds: { type: 'string' },
      'sample-steps': { type: 'string' },
      'sample-batch': { type: 'string' },
      'generate-rows': { type: 'string' },
      threads: { type: 'string' },
      'webgpu-steps': { type: 'string' },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    help: values.help,
    quick: values.quick,
    presets: list('presets', values.presets, PRESETS),
    backends: list('backends', values.backends, BACKENDS),
    steps: positive('steps', values.steps),
    rounds: positive('rounds', values.rounds),
    sampleSteps: positive('sample-steps', values['sample-steps']),
    sampleBatch: positive('sample-batch', values['sample-batch']) ?? 64,
    generateRows: positive('generate-rows', values['generate-rows']) ?? 256,
    threads: positive('threads', values.threads) ?? 2,
    webgpuSteps: positive('webgpu-steps', values['webgpu-steps']) ?? 2,
    out: values.out ?? 'bench/out/bench.json',
  };
}
export type Args = ReturnType<typeof parse>;
