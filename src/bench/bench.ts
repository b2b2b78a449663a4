// npm run bench: training and sampling tokens/s of each model preset on each backend (onnxruntime
// in Node, onnxruntime-web WASM in Node and in headless Chromium, WebGPU in Chromium on SwiftShader)
// next to a PyTorch peer doing the same work on the same CPU. Prints a table and writes JSON.
//
//   npm run bench -- [--presets nano,tiny,small] [--backends node,wasm-node,...] [--steps N]
//                    [--rounds N] [--sample-steps N] [--sample-batch N] [--threads N]
//                    [--out bench/out/bench.json] [--quick]
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../cli/atomic-write.ts';
import os from 'node:os';
import path from 'node:path';
import { createNodeEngine } from '../engine/node.ts';
import { modelSpec, type ModelPresetName } from '../model/architectures.ts';
import { parameterCount, type ModelSpec } from '../model/spec.ts';
import { defaultConfig } from '../sim/config.ts';
import { BrowserBench, browserUnavailable, type BrowserInfo } from './browser.ts';
import { measureEngine, type MeasureSettings } from './measure.ts';
import { ensureTorch, PYTHON, runPeer, type PeerResult } from './torch.ts';
import { BACKENDS, BROWSER, parse, PRESETS, USAGE, VOCAB, type Args, type Backend } from './args.ts';
import { fmt, ratio, table, type Row } from './table.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SEED = 1234;

const log = (s: string) => process.stderr.write(`${s}\n`);
const loadavg = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

function pkgVersion(name: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? null;
  } catch {
    return null;
  }
}

/** Loop settings for one preset (the same for every CPU backend and the peer). */
function settingsFor(preset: ModelPresetName, a: Args): MeasureSettings {
  const big = preset === 'small';
  return {
    warmup: a.quick ? 2 : 3,
    warmupMinSeconds: a.quick ? 1.5 : 3,
    steps: a.steps ?? (a.quick ? (big ? 2 : 5) : big ? 6 : 20),
    rounds: a.rounds ?? (a.quick ? 2 : 3),
    sampleBatch: a.sampleBatch,
    sampleWarmup: a.quick ? 1 : 2,
    sampleSteps: a.sampleSteps ?? (a.quick ? (big ? 1 : 3) : big ? 3 : 10),
    generateRows: a.generateRows,
    generateTokens: 64,
    seed: SEED,
  };
}

/** SwiftShader runs WebGPU on the CPU hundreds of times slower: one warm-up, one short round. */
const swiftShaderSettings = (s: MeasureSettings, cap: number): MeasureSettings => ({
  ...s,
  warmup: 1,
  warmupMinSeconds: 0,
  steps: Math.min(s.steps, cap),
  rounds: 1,
  sampleWarmup: 1,
  sampleSteps: Math.min(s.sampleSteps, cap),
  generateRows: Math.min(s.generateRows, 16),
  generateTokens: Math.min(s.generateTokens, 4 * cap),
});

async function main(): Promise<number> {
  let a: Args;
  try {
    a = parse();
  } catch (e) {
    log(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (a.help) {
    console.log(USAGE);
    return 0;
  }
  const started = Date.now();
  const presets = a.presets ?? PRESETS;
  const backends = a.backends ?? [...BACKENDS];
  const skip = new Map<Backend, string>();
  const notes: string[] = [];
  const loadStart = loadavg();
  log(
    `bench: presets ${presets.join(',')}; backends ${backends.join(',')}; ${os.availableParallelism()} cores; load average ${loadStart.join(' ')}`,
  );

  // --- availability -------------------------------------------------------------------------------
  let torchLog: string | undefined;
  if (backends.includes('torch') || backends.includes('torch-1t')) {
    const t = await ensureTorch((line) => log(`bench: ${line}`));
    torchLog = t.log;
    if (t.skip) for (const b of ['torch', 'torch-1t'] as const) skip.set(b, t.skip);
  }

  let browser: BrowserBench | undefined;
  const browserInfo: { plain?: BrowserInfo; isolated?: BrowserInfo } = {};
  if (backends.some((b) => BROWSER.includes(b))) {
    const why = browserUnavailable();
    if (why) {
      for (const b of BROWSER) skip.set(b, why);
    } else {
      try {
        browser = await BrowserBench.launch();
        log(`bench: Chromium ${browser.version()}`);
        if (backends.includes('wasm-browser') || backends.includes('webgpu-browser'))
          browserInfo.plain = await browser.info(false);
        if (backends.includes('wasm-browser-coi')) {
          browserInfo.isolated = await browser.info(true);
          if (!browserInfo.isolated.crossOriginIsolated)
            notes.push(
              'wasm-browser-coi: COOP/COEP were sent but the worker is still not cross-origin isolated',
            );
        }
        const gpu = browserInfo.plain?.webgpu;
        if (backends.includes('webgpu-browser') && gpu && !gpu.ok) skip.set('webgpu-browser', gpu.why);
      } catch (e) {
        for (const b of BROWSER)
          skip.set(b, `Chromium did not start: ${(e as Error).message.split('\n')[0]}`);
        await browser?.close();
        browser = undefined;
      }
    }
  }
  const webgpuAdapter = browserInfo.plain?.webgpu.ok ? browserInfo.plain.webgpu.adapter : undefined;
  // Headless Chromium without a GPU gets SwiftShader, WebGPU emulated on the CPU: slow, and no
  // guide to real GPUs. A real adapter (a machine with a GPU and Vulkan) gets the full settings.
  const swiftShader = /swiftshader/i.test(webgpuAdapter ?? '');
  if (backends.includes('webgpu-browser') && webgpuAdapter)
    notes.push(
      swiftShader
        ? `webgpu-browser runs on '${webgpuAdapter}' — SwiftShader, a CPU implementation of WebGPU/Vulkan; its figures say nothing about real GPUs (and use only ${a.webgpuSteps} steps, one round).`
        : `webgpu-browser runs on the WebGPU adapter '${webgpuAdapter}'.`,
    );
  if (browserInfo.plain && !browserInfo.plain.crossOriginIsolated)
    notes.push(
      'wasm-browser: the page is served without COOP/COEP (a static host that cannot send them), so it is not cross-origin isolated and onnxruntime-web runs WASM on 1 thread.',
    );
  if (browserInfo.isolated?.crossOriginIsolated)
    notes.push(
      `wasm-browser-coi: the page is served with COOP: same-origin / COEP: require-corp, as npm start and npm run preview serve the app, so it is cross-origin isolated and the app gives onnxruntime-web max(1, min(4, cores − 1)) WASM threads (hardwareConcurrency = ${browserInfo.isolated.hardwareConcurrency}; one core is left to the page).`,
    );

  // --- measurements -------------------------------------------------------------------------------
  const rows: Row[] = [];
  const torchRuns: PeerResult[] = [];
  for (const preset of presets) {
    const spec: ModelSpec = modelSpec(preset, defaultConfig, VOCAB);
    const params = parameterCount(spec);
    const base = settingsFor(preset, a);
    const order: Backend[] = BACKENDS.filter((b) => backends.includes(b));
    // the peers first, so every other row of this preset can be compared with them
    const peerFirst = (b: Backend) => Number(b.startsWith('torch'));
    order.sort((x, y) => peerFirst(y) - peerFirst(x));
    let torch: Row | undefined;
    let bestTorch: Row | undefined;
    for (const backend of order) {
      const row: Row = { preset, params, backend, status: 'skipped' };
      rows.push(row);
      const why = skip.get(backend);
      if (why) {
        row.reason = why;
        continue;
      }
      if (backend === 'webgpu-browser' && swiftShader && !a.presets && preset !== 'nano') {
        row.reason = `SwiftShader is slow: only nano by default (ask with --presets ${preset})`;
        continue;
      }
      const settings =
        backend === 'webgpu-browser' && swiftShader ? swiftShaderSettings(base, a.webgpuSteps) : base;
      row.settings = settings;
      row.loadavgBefore = loadavg();
      const t0 = performance.now();
      log(
        `bench: ${preset} (${fmt(params)} params) on ${backend}: ${settings.warmup}${settings.warmupMinSeconds && !backend.startsWith('torch') ? ` (≥ ${settings.warmupMinSeconds} s)` : ''} + ${settings.rounds}×${settings.steps} train steps of ${spec.batchSize}×${spec.contextLength}, ${settings.sampleWarmup} + ${settings.rounds}×${settings.sampleSteps} sample calls of ${settings.sampleBatch}`,
      );
      try {
        if (backend === 'torch' || backend === 'torch-1t') {
          const threads = backend === 'torch' ? a.threads : 1;
          const { result, command } = await runPeer(spec, settings, threads, 30 * 60_000);
          row.result = result;
          row.peerCommand = command;
          row.backendReason = `PyTorch ${result.torchVersion}, ${result.blas} BLAS, ${result.threads} threads, OPENBLAS_NUM_THREADS=${result.openblasThreads ?? 'unset'}`;
          if (backend === 'torch') torchRuns.push(result);
        } else if (backend === 'node' || backend === 'wasm-node') {
          const engine = await createNodeEngine({
            backend: backend === 'node' ? 'node' : 'wasm',
            spec,
            seed: SEED,
            threads: a.threads,
          });
          try {
            row.result = await measureEngine(engine, settings);
            row.backendReason = engine.backendReason;
          } finally {
            await engine.dispose();
          }
        } else {
          const run = await browser!.run(
            backend === 'webgpu-browser' ? 'webgpu' : 'wasm',
            backend === 'wasm-browser-coi',
            spec,
            SEED,
            settings,
            (backend === 'webgpu-browser' ? 10 : 5) * 60_000,
          );
          const { engineBackend: _b, backendReason, ...m } = run;
          row.result = m;
          row.backendReason =
            backend === 'webgpu-browser' && swiftShader
              ? `${backendReason} (SwiftShader: CPU, not a GPU)`
              : backendReason;
        }
        row.status = 'ok';
        row.trainTokensPerSec = row.result.trainTokensPerSec;
        row.sampleTokensPerSec = row.result.sampleTokensPerSec;
        row.generateTokensPerSec = row.result.generateTokensPerSec;
      } catch (e) {
        row.status = 'failed';
        row.reason = (e as Error).message;
      }
      row.seconds = Math.round(performance.now() - t0) / 1000;
      row.loadavgAfter = loadavg();
      log(
        row.status === 'ok'
          ? `  train ${fmt(row.trainTokensPerSec)} tok/s, sample ${fmt(row.sampleTokensPerSec, 1)} tok/s, generate ${fmt(row.generateTokensPerSec, 1)} tok/s (${row.seconds} s; ${row.backendReason})`
          : `  ${row.status}: ${row.reason}`,
      );
      if (row.status === 'ok' && backend === 'torch') torch = row;
      if (row.status === 'ok' && backend.startsWith('torch'))
        if (!bestTorch || row.trainTokensPerSec! > bestTorch.trainTokensPerSec!) bestTorch = row;
    }
    const per = (x: number, y: number) => Math.round((x / y) * 1000) / 1000;
    for (const row of rows)
      if (row.preset === preset && row.status === 'ok') {
        if (torch) {
          row.trainVsTorch = per(row.trainTokensPerSec!, torch.trainTokensPerSec!);
          row.sampleVsTorch = per(row.sampleTokensPerSec!, torch.sampleTokensPerSec!);
          row.generateVsTorch =
            row.generateTokensPerSec && torch.generateTokensPerSec
              ? per(row.generateTokensPerSec, torch.generateTokensPerSec)
              : null;
        }
        if (bestTorch) {
          row.trainVsBestTorch = per(row.trainTokensPerSec!, bestTorch.trainTokensPerSec!);
          row.sampleVsBestTorch = per(row.sampleTokensPerSec!, bestTorch.sampleTokensPerSec!);
        }
      }
    if (torch && bestTorch && bestTorch !== torch)
      notes.push(
        `${preset}: PyTorch trained faster on 1 thread (${fmt(bestTorch.trainTokensPerSec)} tok/s) than on ${a.threads} (${fmt(torch.trainTokensPerSec)}); against that best PyTorch figure: ${rows
          .filter((r) => r.preset === preset && r.status === 'ok' && !r.backend.startsWith('torch'))
          .map((r) => `${r.backend} ${ratio(r.trainVsBestTorch)} train, ${ratio(r.sampleVsBestTorch)} sample`)
          .join('; ')}.`,
      );
  }
  await browser?.close();

  // --- report -------------------------------------------------------------------------------------
  const loadEnd = loadavg();
  const wallSeconds = Math.round((Date.now() - started) / 100) / 10;
  const peer = torchRuns[0];
  if (peer)
    notes.push(
      `torch: PyTorch ${peer.torchVersion}, BLAS ${peer.blas} (${(peer.blasLibs ?? []).join(', ') || peer.blasInfo || '?'}), ${peer.threads} threads, interop ${peer.interopThreads ?? '?'}, OPENBLAS_NUM_THREADS=${peer.openblasThreads ?? 'unset'}, 512² matmul ${peer.gflops ?? '?'} GFLOP/s; attention written out explicitly${peer.trainTokensPerSecSdpa ? ` (with SDPA: train ${fmt(peer.trainTokensPerSecSdpa)} tok/s)` : peer.sdpaNote ? ` (${peer.sdpaNote})` : ''}.`,
    );
  notes.push(
    `tok/s is the best of the timed rounds (median and every round are in the JSON); sampling draws one token per context per call, each call a full forward over the [${a.sampleBatch}, T] window (no KV cache), as the peer does; generate is cached decoding (engine.generate, as the simulation writes): ${a.generateRows} prompts of 8 tokens continued by 64 tokens each, the window sliding by T/2 past T, against the peer's own KV cache with the same windows.`,
  );
  notes.push(
    `load average ${loadStart.join(' ')} at the start, ${loadEnd.join(' ')} at the end on ${os.availableParallelism()} cores: other work on the machine lowers and scatters every figure.`,
  );

  console.log(table(rows));
  const skipped = rows.filter((r) => r.status !== 'ok');
  if (skipped.length) {
    console.log('');
    for (const r of skipped) console.log(`${r.status}: ${r.preset} on ${r.backend}: ${r.reason}`);
  }
  console.log('');
  for (const b of backends) {
    const r = rows.find((x) => x.backend === b && x.backendReason);
    if (r) console.log(`${b}: ${r.backendReason}`);
  }
  console.log('');
  for (const n of notes) console.log(`note: ${n}`);

  const cpus = os.cpus();
  const report = {
    tool: 'npm run bench',
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    argv: process.argv.slice(2),
    date: new Date(started).toISOString(),
    wallSeconds,
    machine: {
      os: `${os.type()} ${os.release()} (${os.platform()} ${os.arch()})`,
      cpuModel: cpus[0]?.model ?? null,
      cores: cpus.length,
      availableParallelism: os.availableParallelism(),
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      loadavgStart: loadStart,
      loadavgEnd: loadEnd,
      node: process.version,
    },
    versions: {
      onnxruntimeNode: pkgVersion('onnxruntime-node'),
      onnxruntimeWeb: pkgVersion('onnxruntime-web'),
      onnxruntimeCommon: pkgVersion('onnxruntime-common'),
      onnxruntimeWebInBrowser: browserInfo.plain?.ortVersions ?? browserInfo.isolated?.ortVersions ?? null,
      playwrightCore: pkgVersion('playwright-core'),
      vite: pkgVersion('vite'),
      chromium: browser?.version() ?? null,
      torch: peer?.torchVersion ?? null,
      python: PYTHON,
    },
    browser: browserInfo,
    torch: peer
      ? {
          torchVersion: peer.torchVersion,
          blas: peer.blas,
          blasLibs: peer.blasLibs,
          blasInfo: peer.blasInfo,
          threads: peer.threads,
          interopThreads: peer.interopThreads,
          openblasThreads: peer.openblasThreads,
          ompThreads: peer.ompThreads,
          gflops: peer.gflops,
          attention: peer.attention,
          sdpaNote: peer.sdpaNote,
          ensureLog: torchLog,
        }
      : { skipped: skip.get('torch') ?? null, ensureLog: torchLog },
    settings: {
      vocabSize: VOCAB,
      seed: SEED,
      threads: a.threads,
      quick: a.quick,
      perPreset: Object.fromEntries(presets.map((p) => [p, settingsFor(p, a)])),
      webgpuSteps: a.webgpuSteps,
      specs: Object.fromEntries(presets.map((p) => [p, modelSpec(p, defaultConfig, VOCAB)])),
    },
    results: rows,
    notes,
  };
  const out = path.resolve(a.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileAtomic(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), out) || out} (${wallSeconds} s)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`bench: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
