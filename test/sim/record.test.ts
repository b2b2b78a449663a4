import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/sim/config.ts';
import {
  createRecord,
  finiteOrNull,
  metricsToCsv,
  parseRecord,
  recordWithoutTimings,
  type GenerationRecord,
  type RunRecord,
} from '../../src/sim/record.ts';

function generation(n: number, trainMs: number): GenerationRecord {
  return {
    generation: n,
    stage: n < 2 ? 'A' : 'B',
    metrics: {
      accuracy: 0.5 - 0.1 * n,
      accuracyByFormat: n === 0 ? { qa: 0.5 } : { qa: 0.4, cloze: 0.3 },
      accuracyByPopularity: { head: 0.9, torso: 0.5, tail: null },
      answerConfidence: 0.6,
      confidentlyWrongRate: 0.2,
      ece: 0.1,
      realPerplexity: 12.5,
      modelEntropy: 2,
      sampleEntropy: 3,
      corpusEntropy: 3.1,
      distinct1: 0.2,
      distinct2: 0.5,
      typeTokenRatio: 0.2,
      giniSimpson: 0.9,
      supportSize: 300,
      fluency: 0.95,
      hallucinationRate: 0.1,
      gen0Perplexity: { mean: 10, histogram: { edges: [1, 10, 100], counts: [3, 1] } },
      weightDistance: n === 0 ? null : 1.5,
    },
    analytic: { giniSimpson: 0.9, entropy: 3 },
    losses: [3, 2.5, 2],
    samples: [
      { text: 'Paris is the capital of "France", of course', spans: [{ start: 0, end: 5, kind: 'fact' }] },
    ],
    probes: [
      {
        factId: 'f1',
        format: 'qa',
        question: 'Capital of France?',
        answer: 'Paris',
        expected: 'Paris',
        correct: true,
        probability: 0.8,
        popularity: 'head',
      },
    ],
    timings: { trainMs, sampleMs: 3, evalMs: 4 },
  };
}

function record(trainMs = 10): RunRecord {
  const r = createRecord(
    defaultConfig,
    { backend: 'ngram', backendReason: 'test', versions: { ouroboros: '0.1.0' } },
    '2025-01-01T00:00:00.000Z',
  );
  r.generations.push(generation(0, trainMs), generation(1, trainMs * 2), generation(2, trainMs));
  r.status = 'done';
  return r;
}

describe('run record', () => {
  it('round-trips through JSON', () => {
    const r = record();
    const back = parseRecord(JSON.parse(JSON.stringify(r)));
    expect(back).toEqual({ ok: true, record: r });
  });

  it('a new record is running and empty', () => {
    const r = createRecord(defaultConfig, { backend: 'wasm', backendReason: 'no WebGPU', versions: {} });
    expect(r).toMatchObject({ schema: 'ouroboros-run', version: 1, status: 'running', generations: [] });
    expect(Number.isNaN(Date.parse(r.createdAt))).toBe(false);
  });

  it('refuses other schemas and versions with clear messages', () => {
    expect(parseRecord({ schema: 'other', version: 1 })).toEqual({
      ok: false,
      errors: [
        {
          path: 'schema',
          message: expect.stringContaining("not an Ouroboros run record: schema is 'other'"),
        },
      ],
    });
    const v2 = parseRecord({ ...record(), version: 2 });
    expect(v2).toEqual({
      ok: false,
      errors: [{ path: 'version', message: 'unsupported record version 2: this build reads version 1' }],
    });
    expect(parseRecord('x')).toMatchObject({ ok: false, errors: [{ path: '' }] });
  });

  it('names missing and mistyped fields by path', () => {
    const bad = JSON.parse(JSON.stringify(record())) as Record<string, unknown> & {
      generations: Record<string, unknown>[];
    };
    delete bad.environment;
    delete (bad.generations[1]!.metrics as Record<string, unknown>).fluency;
    (bad.generations[2]!.metrics as Record<string, unknown>).accuracy = 'high';
    (bad.config as Record<string, unknown>).syntheticFraction = 3;
    const r = parseRecord(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const messages = r.errors.map((e) => e.message);
    expect(messages).toContain('environment: missing');
    expect(messages).toContain('generations.1.metrics.fluency: missing');
    expect(messages).toContain('generations.2.metrics.accuracy: expected number, got "high"');
    expect(messages).toContain('config.syntheticFraction: must be a number in [0, 1], got 3');
  });

  it('drops wall-clock fields for determinism comparisons', () => {
    const a = recordWithoutTimings(record(10));
    const b = recordWithoutTimings({ ...record(99), createdAt: '2030-01-01T00:00:00.000Z' });
    expect(a).toEqual(b);
    expect(a).not.toHaveProperty('createdAt');
    expect(a.generations[0]).not.toHaveProperty('timings');
    expect(a.generations[0]!.metrics.accuracy).toBe(0.5);
    expect(recordWithoutTimings(record(10))).not.toEqual(
      recordWithoutTimings({ ...record(10), status: 'failed' }),
    );
  });

  it('finiteOrNull', () => {
    expect(finiteOrNull(NaN)).toBeNull();
    expect(finiteOrNull(Infinity)).toBeNull();
    expect(finiteOrNull(1.5)).toBe(1.5);
  });
});

describe('metricsToCsv', () => {
  it('one row per generation with flattened columns', () => {
    const csv = metricsToCsv(record());
    const [header, ...rows] = csv.trimEnd().split('\n');
    const cols = header!.split(',');
    expect(cols.slice(0, 4)).toEqual(['generation', 'stage', 'accuracy', 'accuracyByFormat.qa']);
    for (const c of [
      'accuracyByFormat.cloze',
      'accuracyByPopularity.tail',
      'gen0Perplexity.mean',
      'weightDistance',
      'analytic.giniSimpson',
      'loss.mean',
      'loss.last',
      'timings.trainMs',
    ])
      expect(cols).toContain(c);
    expect(cols.some((c) => c.startsWith('gen0Perplexity.histogram'))).toBe(false);
    expect(rows).toHaveLength(3);
    const row0 = Object.fromEntries(cols.map((c, i) => [c, rows[0]!.split(',')[i]]));
    expect(row0).toMatchObject({
      generation: '0',
      stage: 'A',
      accuracy: '0.5',
      'accuracyByFormat.qa': '0.5',
      'accuracyByFormat.cloze': '',
      'accuracyByPopularity.tail': '',
      weightDistance: '',
      'loss.mean': '2.5',
      'loss.last': '2',
    });
    const row1 = Object.fromEntries(cols.map((c, i) => [c, rows[1]!.split(',')[i]]));
    expect(row1['accuracyByFormat.cloze']).toBe('0.3');
    expect(row1['timings.trainMs']).toBe('20');
  });

  it('an empty run still has a header', () => {
    const r = createRecord(defaultConfig, { backend: 'node', backendReason: '', versions: {} });
    expect(metricsToCsv(r)).toBe('generation,stage\n');
  });
});

describe('records made before this build still load', () => {
  it('every recorded run in public/runs and every chart fixture parses (confidentTargets absent)', () => {
    const files = [
      ...fs
        .readdirSync('public/runs')
        .filter((f) => f.endsWith('.json') && f !== 'index.json')
        .map((f) => `public/runs/${f}`),
      ...fs
        .readdirSync('test/charts/fixtures')
        .filter((f) => f.endsWith('.json'))
        .map((f) => `test/charts/fixtures/${f}`),
    ];
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const r = parseRecord(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (!r.ok) throw new Error(`${file}: ${r.errors.map((e) => e.message).join('; ')}`);
      expect(r.record.generations.length, file).toBeGreaterThan(0);
    }
  });

  it('a record with the share of confident training targets keeps it through JSON', () => {
    const old = JSON.parse(fs.readFileSync('public/runs/quick.json', 'utf8')) as RunRecord;
    old.generations[0]!.metrics.confidentTargets = { '0.5': 0.4, '0.99': null };
    const back = parseRecord(JSON.parse(JSON.stringify(old)));
    expect(back.ok && back.record.generations[0]!.metrics.confidentTargets).toEqual({
      '0.5': 0.4,
      '0.99': null,
    });
    old.generations[0]!.metrics.confidentTargets = { '0.5': 'lots' } as unknown as Record<string, number>;
    expect(parseRecord(old).ok).toBe(false);
  });
});
