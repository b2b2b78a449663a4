// One measured row of npm run bench, and the table it prints.
import type { ModelPresetName } from '../model/architectures.ts';
import type { Backend } from './args.ts';
import type { Measurement, MeasureSettings } from './measure.ts';
import type { PeerResult } from './torch.ts';

export interface Row {
  preset: ModelPresetName;
  params: number;
  backend: Backend;
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  /** How the engine described itself (threads, adapter). */
  backendReason?: string;
  settings?: MeasureSettings;
  result?: Measurement | PeerResult;
  trainTokensPerSec?: number;
  sampleTokensPerSec?: number;
  /** Cached decoding (engine.generate; the peer's KV cache). */
  generateTokensPerSec?: number;
  /** Against the PyTorch peer on --threads threads (the `torch` row). */
  trainVsTorch?: number | null;
  sampleVsTorch?: number | null;
  generateVsTorch?: number | null;
  /** Against the faster of `torch` and `torch-1t`. */
  trainVsBestTorch?: number | null;
  sampleVsBestTorch?: number | null;
  seconds?: number;
  loadavgBefore?: number[];
  loadavgAfter?: number[];
  peerCommand?: string;
}

export const fmt = (x: number | undefined | null, digits = 0) =>
  x === undefined || x === null || !Number.isFinite(x)
    ? '–'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const ratio = (x: number | undefined | null) =>
  x === undefined || x === null ? '–' : `${x.toFixed(2)}×`;

export function table(rows: Row[]): string {
  const head = [
    'preset',
    'params',
    'backend',
    'train tok/s',
    'sample tok/s',
    'generate tok/s',
    'train ×torch',
    'sample ×torch',
    'generate ×torch',
  ];
  const body = rows.map((r) =>
    r.status === 'ok'
      ? [
          r.preset,
          fmt(r.params),
          r.backend,
          fmt(r.trainTokensPerSec),
          fmt(r.sampleTokensPerSec, r.sampleTokensPerSec! < 100 ? 1 : 0),
          fmt(r.generateTokensPerSec, (r.generateTokensPerSec ?? 0) < 100 ? 1 : 0),
          ratio(r.trainVsTorch),
          ratio(r.sampleVsTorch),
          ratio(r.generateVsTorch),
        ]
      : [r.preset, fmt(r.params), r.backend, r.status, '', '', '', '', ''],
  );
  const all = [head, ...body];
  const width = head.map((_, i) => all.reduce((w, row) => Math.max(w, row[i]!.length), 0));
  const right = [false, true, false, true, true, true, true, true, true];
  const line = (row: string[]) =>
    row.map((c, i) => (right[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join('  ');
  return [line(head), width.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
