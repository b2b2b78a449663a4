// The PyTorch peer of `npm run bench` (src/bench/torch/peer_torch.py, see its README.md): the same model,
// batch, AdamW settings and timed loops in PyTorch on the CPU, run with Debian's /usr/bin/python3,
// OPENBLAS_NUM_THREADS=1 and `threads` torch threads. src/bench/torch/ensure-torch.sh installs torch and
// selects OpenBLAS first.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ModelSpec } from '../model/spec.ts';
import type { MeasureSettings } from './measure.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const PEER = `${ROOT}src/bench/torch/peer_torch.py`;
const ENSURE = `${ROOT}src/bench/torch/ensure-torch.sh`;

/** What the peer prints (one JSON line); fields as documented in src/bench/torch/README.md. */
export interface PeerResult {
  trainTokensPerSec: number;
  sampleTokensPerSec: number;
  generateTokensPerSec?: number;
  generateTokensPerSecMedian?: number;
  generateRounds?: number[];
  trainTokensPerSecMedian?: number;
  sampleTokensPerSecMedian?: number;
  trainRounds?: number[];
  sampleRounds?: number[];
  trainTokensPerSecSdpa?: number | null;
  torchVersion: string;
  blas: string;
  blasLibs?: string[];
  blasInfo?: string;
  threads: number;
  interopThreads?: number;
  openblasThreads?: string | null;
  ompThreads?: string | null;
  finalLoss?: number;
  gflops?: number;
  attention?: string;
  sdpaNote?: string;
  [k: string]: unknown;
}

interface Exec {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Exec> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}${e.message}`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

const tail = (s: string, n = 400) => (s.length > n ? `…${s.slice(-n)}` : s).trim();

/** Run src/bench/torch/ensure-torch.sh; returns null when torch is ready, or why the peer cannot run. */
export async function ensureTorch(
  log: (line: string) => void,
): Promise<{ skip: string | null; log: string }> {
  if (!existsSync(PEER)) return { skip: `no ${PEER}`, log: '' };
  if (!existsSync(PYTHON)) return { skip: `no Python at ${PYTHON}`, log: '' };
  if (existsSync(ENSURE)) {
    log('bash src/bench/torch/ensure-torch.sh');
    const r = await exec('bash', [ENSURE], process.env, 20 * 60_000);
    const out = `${r.stdout}${r.stderr}`.trim();
    for (const line of out.split('\n')) if (line.includes('[ensure-torch]')) log(`  ${line}`);
    if (r.code !== 0)
      return {
        skip: `src/bench/torch/ensure-torch.sh ${r.timedOut ? 'timed out' : `failed (exit ${r.code})`}: ${tail(out)}`,
        log: out,
      };
    return { skip: null, log: out };
  }
  const r = await exec(PYTHON, ['-c', 'import torch'], process.env, 60_000);
  return { skip: r.code === 0 ? null : `torch is not importable by ${PYTHON}: ${tail(r.stderr)}`, log: '' };
}

/** The peer's input: the model spec plus the same loop settings our engines get. */
export function peerSpec(spec: ModelSpec, s: MeasureSettings, threads: number): Record<string, unknown> {
  const { name: _name, ...model } = spec;
  return {
    ...model,
    steps: s.steps,
    warmup: s.warmup,
    rounds: s.rounds,
    sampleBatch: s.sampleBatch,
    sampleWarmup: s.sampleWarmup,
    sampleSteps: s.sampleSteps,
    generateRows: s.generateRows,
    generateTokens: s.generateTokens,
    seed: s.seed,
    threads,
  };
}

export async function runPeer(
  spec: ModelSpec,
  s: MeasureSettings,
  threads: number,
  timeoutMs: number,
): Promise<{ input: Record<string, unknown>; result: PeerResult; command: string }> {
  const input = peerSpec(spec, s, threads);
  const json = JSON.stringify(input);
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  const command = `OPENBLAS_NUM_THREADS=1 ${PYTHON} src/bench/torch/peer_torch.py '${json}'`;
  const r = await exec(PYTHON, [PEER, json], env, timeoutMs);
  if (r.timedOut) throw new Error(`PyTorch peer timed out after ${timeoutMs / 1000} s`);
  if (r.code !== 0) throw new Error(`PyTorch peer failed (exit ${r.code}): ${tail(r.stderr)}`);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  let result: PeerResult;
  try {
    result = JSON.parse(line) as PeerResult;
  } catch {
    throw new Error(`PyTorch peer printed no JSON line: ${tail(r.stdout)} ${tail(r.stderr)}`);
  }
  if (typeof result.trainTokensPerSec !== 'number' || typeof result.sampleTokensPerSec !== 'number')
    throw new Error(`PyTorch peer output lacks trainTokensPerSec/sampleTokensPerSec: ${line}`);
  return { input, result, command };
}
