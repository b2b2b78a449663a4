// How long a run of a config will take, for the preset choices: a cost model fitted to a recorded run of
// the same model (timed where it was recorded), scaled by how this browser's own finished runs compared
// with that model, when there has been one. Pure apart from the small store of those speed factors.
import type { Config } from '../../sim/config.ts';
import { realNeeded, syntheticNeeded } from '../../sim/data.ts';
import type { RunRecord } from '../../sim/record.ts';

/** Milliseconds per unit of work, fitted to one recorded run. */
export interface CostModel {
  model: Config['model'];
  /** Per document-pass of generation 0's training, of a later generation's, per sampled token; evaluation per generation. */
  gen0TrainPerDoc: number;
  trainPerDoc: number;
  samplePerToken: number;
  evalPerGeneration: number;
  /** Where the reference run was timed, e.g. "node v20.20.2 linux x64 (AMD EPYC, 2 cores)". */
  where: string;
}

/** Documents generation `g` ≥ 1 trains on. */
function trainingDocs(c: Config, g: number): number {
  const n = c.documentsPerGeneration;
  if (c.dataMode === 'accumulate') return c.realDocuments + g * n;
  if (c.dataMode === 'accumulate-subsample') return n;
  return realNeeded(c.syntheticFraction, n) + syntheticNeeded(c.dataMode, c.syntheticFraction, n);
}

/** The units of work of a config: generation 0's document-passes, later ones', sampled tokens, generations. */
function work(c: Config) {
  let later = 0;
  for (let g = 1; g <= c.generations; g++) later += c.epochs * trainingDocs(c, g);
  const generations = c.generations + 1;
  // Every generation writes text for the next one and for its own measurements: a full generation's worth
  // whatever α (the recorded α = 0.25 run sampled for 76% as long as the α = 1 run, not 25%).
  const tokens = generations * c.documentsPerGeneration * c.maxNewTokens;
  return { gen0: c.gen0Epochs * c.realDocuments, later, tokens, generations };
}

/** The cost model of a finished record (null when it has no later generation to fit). */
export function costModel(record: RunRecord): CostModel | null {
  const [first, ...rest] = record.generations;
  if (!first || !rest.length) return null;
  const w = work({ ...record.config, generations: rest.length });
  const sum = (f: (t: RunRecord['generations'][number]['timings']) => number, gens = record.generations) =>
    gens.reduce((a, g) => a + f(g.timings), 0);
  return {
    model: record.config.model,
    gen0TrainPerDoc: first.timings.trainMs / w.gen0,
    trainPerDoc: sum((t) => t.trainMs, rest) / w.later,
    samplePerToken: sum((t) => t.sampleMs) / w.tokens,
    evalPerGeneration: sum((t) => t.evalMs) / w.generations,
    where: record.environment.userAgent ?? 'the machine it was recorded on',
  };
}

/** Predicted milliseconds for a whole run of `config` under `cost` (same model), times `speed`. */
export function estimateMs(config: Config, cost: CostModel, speed = 1): number {
  const w = work(config);
  const ms =
    w.gen0 * cost.gen0TrainPerDoc +
    w.later * cost.trainPerDoc +
    w.tokens * cost.samplePerToken +
    w.generations * cost.evalPerGeneration;
  return ms * speed;
}

/** Where this browser's speed factors are kept, per model and backend. */
const speedKey = (model: string, backend: string) => `ouroboros.speed.${model}.${backend}`;

/** The speed factor (measured ÷ predicted) of this browser's latest finished run of `model` on `backend`. */
export function loadSpeed(storage: Pick<Storage, 'getItem'>, model: string, backend: string): number | null {
  const v = Number(storage.getItem(speedKey(model, backend)));
  return Number.isFinite(v) && v > 0 ? v : null;
}

/** Remembers how a finished run's measured time compared with the cost model's prediction for it. */
export function saveSpeed(
  storage: Pick<Storage, 'setItem'>,
  record: RunRecord,
  backend: string,
  cost: CostModel,
): number | null {
  if (record.generations.length < 2 || record.config.model !== cost.model) return null;
  const measured = record.generations.reduce((a, { timings: t }) => a + t.trainMs + t.sampleMs + t.evalMs, 0);
  const predicted = estimateMs({ ...record.config, generations: record.generations.length - 1 }, cost);
  if (!(measured > 0 && predicted > 0)) return null;
  const speed = measured / predicted;
  try {
    storage.setItem(speedKey(cost.model, backend), String(speed));
  } catch {
    // Storage full or blocked: the estimate falls back to the reference machine.
  }
  return speed;
}

/** An estimate as precise as it is: "45 s" (to 5 s), "4 min" (to the minute), "2 h 10 min" (to 10 min). */
export function roughly(ms: number): string {
  const s = Math.max(5, Math.round(ms / 5000) * 5);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const tens = Math.round(m / 10) * 10;
  return `${Math.floor(tens / 60)} h${tens % 60 ? ` ${tens % 60} min` : ''}`;
}
