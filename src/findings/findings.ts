// Published findings as named comparisons: each is a base config (a preset and a scale) and arms that
// differ in one lever, with a pure function that reads the arms' run records (several seeds each) and
// says what was measured and whether the paper's finding holds here. `npm run reproduce` runs them and
// writes docs/RESULTS.md; the app's gallery loads the same list. No Node imports: browser code uses it.
import type { Config } from '../sim/config.ts';
import {
  accuracyCollapsed,
  change,
  compare,
  formatOnsets,
  formatSummary,
  onset,
  pairBySeed,
  summarize,
} from './stats.ts';
import type { Finding, FindingChart, FindingScale, Paper } from './types.ts';
import { resolveConfig } from '../sim/presets.ts';
import type { GenerationRecord, RunRecord } from '../sim/record.ts';
import {
  acc,
  arm,
  charts,
  cumulativeEntropy,
  distinct2,
  driftBeside,
  evaluateConfidentlyWrong,
  evaluateDrift,
  evaluateKnowledgeCollapse,
  evaluateRareFacts,
  fluency,
  gen0Histograms,
  lastByArm,
  maskedTargets,
  NO_CLOSED_FORM,
  onsets,
  outcome,
  pairedLast,
  ppl,
} from './evaluators.ts';

export type {
  ArmRuns,
  Finding,
  FindingArm,
  FindingChart,
  FindingOutcome,
  FindingScale,
  Paper,
  RecordedVerdict,
  RecordedVerdicts,
} from './types.ts';

/**
 * The GPT scale of the committed page: the default preset itself (tiny GPT, 15 generations of 300
 * documents, 2000 real documents), the run a user starts first, so that every verdict speaks for it.
 * Only the samples kept in each record are fewer.
 */
export const GPT_FULL: Partial<Config> = {
  recordSamples: 2,
};

/**
 * The reduced GPT scale (tests, a quick look): the quick preset's world, 10 generation-0 epochs and 2
 * generations, seconds per run. Generation 0 is under-trained here (accuracy ~0.2, fluency ~0.5, so
 * every generation reads as stage C): only perplexity and diversity findings can be decided at it.
 */
export const GPT_FAST: Partial<Config> = {
  model: 'nano',
  entitiesPerKind: 12,
  realDocuments: 400,
  heldOutDocuments: 40,
  gen0Epochs: 10,
  documentsPerGeneration: 150,
  generations: 2,
  maxNewTokens: 32,
  probeFacts: 40,
  recordSamples: 2,
};

/** Why each scale is what it is, for the results page. */
export const scaleRationale: Record<FindingScale, string> = {
  full:
    'Why this scale: it is the default preset, the run the lab starts with, so each verdict is about ' +
    'what a user sees (generation 0 answers most head facts, and the fully synthetic loop reaches stage C ' +
    'within the 15 generations).',
  fast:
    'Reduced scale (--fast): 2 generations of an under-trained nano model, for tests and a quick look; ' +
    'only perplexity and diversity findings can be decided at it.',
};

const gpt = { full: GPT_FULL, fast: GPT_FAST };

/** Papers cited by more than one finding. */
const KEISHA: Paper = {
  cite: 'Keisha et al. 2025, arXiv 2509.04796',
  url: 'https://arxiv.org/abs/2509.04796',
};
/** "AI models collapse when trained on recursively generated data". */
const SHUMAILOV: Paper = {
  cite: 'Shumailov et al., Nature 2024',
  url: 'https://doi.org/10.1038/s41586-024-07566-y',
};
/** "Self-Consuming Generative Models Go MAD". */
const ALEMOHAMMAD: Paper = { cite: 'Alemohammad et al., ICLR 2024', url: 'https://arxiv.org/abs/2307.01850' };

/** The count models' scales: 50 generations, or 20 of a smaller world for --fast. */
const NGRAM_SCALES: Finding['scales'] = {
  full: { generations: 50, recordSamples: 2 },
  fast: {
    generations: 20,
    realDocuments: 300,
    documentsPerGeneration: 60,
    heldOutDocuments: 20,
    probeFacts: 20,
    recordSamples: 2,
  },
};

/** Diversity and entropy of a count model's samples, each beside its unigram closed form (dashed). */
const NGRAM_CHARTS: FindingChart[] = [
  {
    key: 'giniSimpson',
    title: 'Gini-Simpson diversity (dashed: closed form)',
    get: (g) => g.metrics.giniSimpson,
    analytic: (g) => g.analytic?.giniSimpson ?? null,
  },
  {
    key: 'corpusEntropy',
    title: 'entropy of samples, nats (dashed: generation 0 less the exactly expected losses)',
    get: (g) => g.metrics.corpusEntropy,
    analytic: cumulativeEntropy,
  },
];

const ALPHA_ONE = { syntheticFraction: 1, dataMode: 'replace' } as const;

export const findings: Finding[] = [
  {
    id: 'knowledge-collapse',
    title: 'Knowledge collapse: accuracy falls with the synthetic fraction α',
    papers: [KEISHA],
    reports:
      'With a fixed real anchor and α ∈ {0.25, 0.5, 1.0}, accuracy decays while fluency survives (stages A → B → C); ' +
      'at α = 0.5 accuracy went 0.43 → 0.30 over 15 generations; collapse timing depends on the instruction format.',
    metric:
      'accuracy drop (generation 0 − last) at α = 1 minus at α = 0.25; stages; per-format onset of the drop',
    preset: 'default',
    scales: gpt,
    arms: [
      arm('alpha-0.25', 'α = 0.25', { syntheticFraction: 0.25 }),
      arm('alpha-0.5', 'α = 0.5', { syntheticFraction: 0.5 }),
      arm('alpha-1', 'α = 1', ALPHA_ONE),
    ],
    charts: [charts.accuracy, charts.fluency, charts.perplexity],
    evaluate: (runs) => evaluateKnowledgeCollapse(runs),
  },
  {
    id: 'domain-specific',
    title: 'Domain-specific synthesis resists collapse',
    papers: [KEISHA],
    reports:
      'Running the loop on text from the evaluated domain only resists collapse far better than a general loop ' +
      '(reported as a 15× improvement in collapse resistance, with half of each generation real: α = 0.5).',
    metric:
      'generations until the domain’s accuracy falls below 70% of generation 0’s, domain-specific − general, ' +
      'at the paper’s α = 0.5 and at α = 1',
    preset: 'default',
    scales: gpt,
    arms: [
      arm('general-0.5', 'general loop, α = 0.5', { syntheticFraction: 0.5 }),
      arm('domain-0.5', 'domain-specific loop, α = 0.5', { syntheticFraction: 0.5, domainSpecific: true }),
      arm('general', 'general loop, α = 1', ALPHA_ONE),
      arm('domain', 'domain-specific loop, α = 1', { ...ALPHA_ONE, domainSpecific: true }),
    ],
    charts: [charts.accuracy, charts.fluency],
    evaluate(runs) {
      const G = runs.general?.[0]?.config.generations ?? runs['general-0.5']?.[0]?.config.generations ?? 0;
      const at = (general: string, domain: string, alpha: string) => {
        const pairs = pairBySeed(runs[general] ?? [], runs[domain] ?? []);
        const gen = pairs.map(([a]) => onset(a, accuracyCollapsed(a)));
        const dom = pairs.map(([, b]) => onset(b, accuracyCollapsed(b)));
        // Where no loop collapses within the run the onsets cannot tell the loops apart: say so, with
        // the paired difference the run does show (last accuracy).
        const undecided =
          pairs.length && gen.every((o, i) => o.censored && dom[i]!.censored)
            ? [
                `At ${alpha} no loop fell below 70% of generation 0’s accuracy within ${G} generations, so the ` +
                  `onset cannot decide there; last accuracy, domain-specific − general: ` +
                  `${formatSummary(summarize(pairedLast(runs, general, domain, acc)), 2, true)}.`,
              ]
            : [];
        return {
          comparison: compare(
            `generations until collapse, domain-specific − general (${alpha})`,
            gen.map((o, i) => dom[i]!.generation - o.generation),
            1,
          ),
          text: `${alpha}: general ${formatOnsets(gen, G)}, domain-specific ${formatOnsets(dom, G)}`,
          undecided,
        };
      };
      const half = at('general-0.5', 'domain-0.5', 'α = 0.5');
      const one = at('general', 'domain', 'α = 1');
      const measured =
        `Generations until accuracy < 70% of generation 0’s: ${half.text}; ${one.text}. ` +
        `Last accuracy: ${lastByArm(this, runs, acc)}.`;
      return outcome(measured, [half.comparison, one.comparison], [...half.undecided, ...one.undecided]);
    },
  },
  {
    id: 'keep-real',
    title: 'Keeping 10% real data holds real-text perplexity down',
    papers: [SHUMAILOV],
    reports:
      'With no real data kept, real-text perplexity rose by about 20–28 points (34 → ~55–62) over 9 generations; ' +
      'keeping a random 10% of real data gave only minor degradation. Generated text piles up at low perplexity ' +
      'under the generation-0 model, with a new high-perplexity error tail.',
    metric:
      'rise in real-text perplexity (last − generation 0), 0% real − 10% real drawn afresh each generation (the ' +
      'paper re-samples its 10%); and, for "only minor", the share of the 0%-real rise that it removes, beyond ' +
      'one half. A fixed 10% slice (the anchor of the replace mode) is shown beside it',
    preset: 'default',
    scales: gpt,
    arms: [
      arm('real-0', '0% real', ALPHA_ONE),
      arm('real-10-fresh', '10% real, drawn afresh', { syntheticFraction: 0.9, dataMode: 'fresh' }),
      arm('real-10', '10% real, a fixed slice', { syntheticFraction: 0.9 }),
    ],
    charts: [charts.perplexity, charts.accuracy],
    histogram: true,
    evaluate(runs) {
      const against = (id: string) => {
        const rises = pairBySeed(runs[id] ?? [], runs['real-0'] ?? []).map(
          ([k, z]): [number | null, number | null] => [change(k, ppl), change(z, ppl)],
        );
        const label = this.arms.find((a) => a.id === id)!.label;
        return [
          compare(
            `perplexity rise, 0% real − ${label}`,
            rises.map(([a, b]) => (a === null || b === null ? null : b - a)),
            0.1,
          ),
          // The paper's 10% arm degrades only slightly: here, at least half the rise should be gone.
          compare(
            `share of the 0%-real rise removed by ${label}, minus one half`,
            rises.map(([a, b]) => (a === null || b === null || b <= 0 ? null : (b - a) / b - 0.5)),
            0,
          ),
        ];
      };
      const rise = (id: string) =>
        formatSummary(summarize((runs[id] ?? []).map((r) => change(r, ppl))), 2, true);
      const measured =
        `Real-text perplexity rise over the run: 0% real ${rise('real-0')}, 10% real drawn afresh ` +
        `${rise('real-10-fresh')}, a fixed 10% slice ${rise('real-10')}.`;
      const fixed = against('real-10').map(
        (c) => `Beside it, not deciding: ${c.label}: ${formatSummary(c.effect, 3, true)} → ${c.verdict}.`,
      );
      return outcome(measured, against('real-10-fresh'), [...fixed, ...gen0Histograms(this.arms, runs)]);
    },
  },
  {
    id: 'accumulate',
    title: 'Accumulating data keeps error bounded; replacing it does not',
    papers: [{ cite: 'Gerstgrasser et al. 2024, arXiv 2404.01413', url: 'https://arxiv.org/abs/2404.01413' }],
    reports:
      'Replacing each generation’s data with the newest synthetic data makes test error grow about linearly per ' +
      'generation; accumulating real and all synthetic data keeps it bounded.',
    metric: 'real-text perplexity at the last generation, replace − accumulate',
    preset: 'default',
    scales: gpt,
    arms: [
      arm('replace', 'replace', ALPHA_ONE),
      arm('accumulate', 'accumulate', { ...ALPHA_ONE, dataMode: 'accumulate' }),
    ],
    charts: [charts.perplexity, charts.accuracy],
    evaluate(runs) {
      const c = compare(
        'last real-text perplexity, replace − accumulate',
        pairedLast(runs, 'accumulate', 'replace', ppl),
        0.1,
      );
      return outcome(`Last real-text perplexity: ${lastByArm(this, runs, ppl)}.`, [c]);
    },
  },
  {
    id: 'fresh-data',
    title: 'Only fresh real data keeps quality',
    papers: [ALEMOHAMMAD],
    reports:
      'In a fully synthetic loop quality and diversity degrade; a fixed set of real data only delays it; fresh real ' +
      'data every generation keeps both.',
    metric:
      'real-text perplexity at the last generation: fully synthetic − fresh and fixed real − fresh (α = 0.5 for both mixes)',
    preset: 'default',
    scales: gpt,
    arms: [
      arm('synthetic', 'fully synthetic', ALPHA_ONE),
      arm('fixed', 'fixed real (α = 0.5)', { syntheticFraction: 0.5 }),
      arm('fresh', 'fresh real (α = 0.5)', { syntheticFraction: 0.5, dataMode: 'fresh' }),
    ],
    charts: [charts.perplexity, charts.distinct2, charts.accuracy],
    evaluate(runs) {
      const cs = [
        compare('last perplexity, fully synthetic − fresh', pairedLast(runs, 'fresh', 'synthetic', ppl), 0.1),
        compare('last perplexity, fixed real − fresh', pairedLast(runs, 'fresh', 'fixed', ppl), 0.1),
      ];
      const measured = `Last real-text perplexity: ${lastByArm(this, runs, ppl)}. Last distinct-2: ${lastByArm(this, runs, distinct2, 3)}.`;
      return outcome(measured, cs);
    },
  },
  {
    id: 'sampling-bias',
    title: 'Truncated sampling keeps fluency but loses diversity faster',
    papers: [ALEMOHAMMAD, { cite: 'Dohmatob et al. 2024', url: 'https://arxiv.org/abs/2402.07043' }],
    reports:
      'Sampling with temperature or top-p below 1 (mode-seeking) keeps the samples’ quality but makes diversity ' +
      'collapse faster; cut tails change the scaling of what is learnt.',
    metric:
      'distinct-2 of samples (lower) and fluency (not lower) at the last generation, biased − unbiased (α = 1)',
    preset: 'default',
    scales: gpt,
    arms: [
      arm('t1', 'temperature 1', { ...ALPHA_ONE, temperature: 1, topP: 1 }),
      arm('t07', 'temperature 0.7', { ...ALPHA_ONE, temperature: 0.7, topP: 1 }),
      arm('p08', 'top-p 0.8', { ...ALPHA_ONE, temperature: 1, topP: 0.8 }),
    ],
    charts: [charts.distinct2, charts.fluency, charts.entropy],
    evaluate(runs) {
      const cs = (['t07', 'p08'] as const).flatMap((b) => {
        const label = b === 't07' ? 'temperature 0.7' : 'top-p 0.8';
        return [
          compare(`last distinct-2, temperature 1 − ${label}`, pairedLast(runs, b, 't1', distinct2), 0.005),
          compare(`last fluency, ${label} − temperature 1`, pairedLast(runs, 't1', b, fluency), 0.02),
        ];
      });
      const measured = `Last distinct-2: ${lastByArm(this, runs, distinct2, 3)}. Last fluency: ${lastByArm(this, runs, fluency)}.`;
      return outcome(measured, cs);
    },
  },
  {
    id: 'tce',
    title: 'Truncated cross-entropy delays collapse',
    papers: [{ cite: 'ForTIFAI, arXiv 2509.08972', url: 'https://arxiv.org/abs/2509.08972' }],
    reports:
      'Dropping targets the model already predicts with probability > γ = 0.99 from the loss tolerates about 2.3× ' +
      'more synthetic data before collapse.',
    metric:
      'generations until stage B or C (accuracy < 70% of generation 0’s, or fluency collapse), TCE − CE (α = 1), ' +
      'at the paper’s γ = 0.99 and at γ = 0.9, which masks more (at the reduced scale γ = 0.99 masks almost ' +
      'no target, so TCE runs as CE there); beside it, the share of training targets each γ masks',
    preset: 'default',
    scales: gpt,
    arms: [
      arm('ce', 'cross-entropy', ALPHA_ONE),
      arm('tce', 'TCE (γ = 0.99)', { ...ALPHA_ONE, loss: 'tce', tceGamma: 0.99 }),
      arm('tce-0.9', 'TCE (γ = 0.9)', { ...ALPHA_ONE, loss: 'tce', tceGamma: 0.9 }),
    ],
    charts: [charts.accuracy, charts.fluency, charts.perplexity],
    evaluate(runs) {
      const collapsed = () => (g: GenerationRecord) => g.stage !== 'A';
      const G = runs.ce?.[0]?.config.generations ?? 0;
      const ce = onsets(runs.ce ?? [], collapsed);
      const against = (id: string, label: string) => {
        const pairs = pairBySeed(runs.ce ?? [], runs[id] ?? []);
        return compare(
          `generations until collapse, ${label} − CE`,
          pairs.map(([a, b]) => onset(b, collapsed()).generation - onset(a, collapsed()).generation),
          1,
        );
      };
      const measured =
        `Generations until stage B or C: CE ${formatOnsets(ce, G)}, TCE (γ = 0.99) ` +
        `${formatOnsets(onsets(runs.tce ?? [], collapsed), G)}, TCE (γ = 0.9) ` +
        `${formatOnsets(onsets(runs['tce-0.9'] ?? [], collapsed), G)}. Last accuracy: ${lastByArm(this, runs, acc)}.`;
      return outcome(
        measured,
        [against('tce', 'TCE (γ = 0.99)'), against('tce-0.9', 'TCE (γ = 0.9)')],
        [maskedTargets(this.arms, runs)],
      );
    },
  },
  {
    id: 'surplexity',
    title: 'Training on the most surprising synthetic documents slows collapse',
    papers: [{ cite: 'Gambetta et al. 2024, arXiv 2410.12341', url: 'https://arxiv.org/abs/2410.12341' }],
    reports:
      'Keeping only the synthetic documents the current model finds most surprising (highest perplexity) slows ' +
      'collapse; keeping the least surprising makes it worse.',
    metric:
      'real-text perplexity at the last generation: random − highest and lowest − random (keep q = 0.5, α = 1)',
    preset: 'default',
    scales: gpt,
    arms: [
      arm('highest', 'most surprising', { ...ALPHA_ONE, surplexityFilter: 'highest', surplexityKeep: 0.5 }),
      arm('random', 'random half', { ...ALPHA_ONE, surplexityFilter: 'random', surplexityKeep: 0.5 }),
      arm('lowest', 'least surprising', { ...ALPHA_ONE, surplexityFilter: 'lowest', surplexityKeep: 0.5 }),
    ],
    charts: [charts.perplexity, charts.accuracy, charts.distinct2],
    evaluate(runs) {
      const cs = [
        compare('last perplexity, random − highest', pairedLast(runs, 'highest', 'random', ppl), 0.1),
        compare('last perplexity, lowest − random', pairedLast(runs, 'random', 'lowest', ppl), 0.1),
      ];
      return outcome(`Last real-text perplexity: ${lastByArm(this, runs, ppl)}.`, cs);
    },
  },
  {
    id: 'rare-facts',
    title: 'Rare facts vanish first',
    papers: [SHUMAILOV],
    reports:
      'Recursive training loses the tails of the distribution first: what is rare in the data disappears ' +
      'from the model before what is common.',
    metric:
      'generations until accuracy on tail facts (least mentioned entities) falls below 70% of its generation-0 ' +
      'value, against the same for head facts (most mentioned), per seed (α = 1)',
    preset: 'default',
    scales: gpt,
    arms: [arm('alpha-1', 'α = 1', ALPHA_ONE)],
    charts: [
      {
        key: 'tailAccuracy',
        title: 'accuracy on tail facts',
        get: (g) => g.metrics.accuracyByPopularity.tail,
      },
      {
        key: 'headAccuracy',
        title: 'accuracy on head facts',
        get: (g) => g.metrics.accuracyByPopularity.head,
      },
    ],
    evaluate: (runs) => evaluateRareFacts(runs['alpha-1'] ?? []),
  },
  {
    id: 'confidently-wrong',
    title: 'The model becomes confidently wrong',
    papers: [KEISHA],
    reports:
      'In knowledge collapse the model stays fluent and sure of itself while its answers turn wrong: accuracy ' +
      'falls, confidence does not.',
    metric:
      'per seed over the run: accuracy drop minus the drop in the mean probability of the answers; and the rise ' +
      'in the share of answers that are wrong yet given with probability ≥ the confidence threshold (α = 1)',
    preset: 'default',
    scales: gpt,
    arms: [arm('alpha-1', 'α = 1', ALPHA_ONE)],
    charts: [
      charts.accuracy,
      {
        key: 'answerConfidence',
        title: 'mean confidence in the answers',
        get: (g) => g.metrics.answerConfidence,
      },
      {
        key: 'confidentlyWrongRate',
        title: 'share of answers confidently wrong',
        get: (g) => g.metrics.confidentlyWrongRate,
      },
    ],
    evaluate: (runs) => evaluateConfidentlyWrong(runs['alpha-1'] ?? []),
  },
  {
    id: 'ngram-drift',
    title: 'A count model drifts as the closed forms say',
    papers: [
      {
        cite: 'Seddik et al. 2024, arXiv 2404.05090 (Wright–Fisher drift)',
        url: 'https://arxiv.org/abs/2404.05090',
      },
    ],
    reports:
      'Refitting a categorical distribution on N of its own samples: E[Gini-Simpson] = D₀(1 − 1/N)^t exactly; ' +
      'the entropy of N words drawn from a refit is, in expectation, exactly Σᵢ Σₖ C(N, k) pᵢᵏ (1 − pᵢ)^(N−k) (−(k/N) ln(k/N)), ' +
      'whose large-N limit is Miller–Madow: a loss of (K − 1)/(2N) nats per generation.',
    metric:
      'Gini-Simpson at the last generation, and total entropy loss against the sum of each generation’s exact expected plug-in entropy: ' +
      'mean over seeds against the closed forms, within 3 standard errors',
    preset: 'ngram',
    scales: NGRAM_SCALES,
    arms: [arm('unigram', 'unigram, fully synthetic', {})],
    minSeeds: 10,
    charts: NGRAM_CHARTS,
    evaluate: (runs) => evaluateDrift(runs.unigram ?? []),
  },
  {
    id: 'ngram-order',
    title: 'Bigram and trigram count models drift too, with no closed form',
    papers: [
      { ...SHUMAILOV, cite: 'Shumailov et al., Nature 2024 (discrete models)' },
      { cite: 'Seddik et al. 2024, arXiv 2404.05090', url: 'https://arxiv.org/abs/2404.05090' },
    ],
    reports:
      'Collapse is not peculiar to one model: any discrete distribution refitted on its own samples loses ' +
      'diversity. The Wright–Fisher closed forms are exact only for a categorical (unigram) model.',
    metric:
      'Gini-Simpson lost over the run (generation 0 − last), per seed, for a bigram and a trigram count model ' +
      '(fully synthetic); beside it, not deciding, how far each lies from the unigram closed forms',
    preset: 'ngram',
    scales: NGRAM_SCALES,
    arms: [
      arm('bigram', 'bigram, fully synthetic', { ngramOrder: 2 }),
      arm('trigram', 'trigram, fully synthetic', { ngramOrder: 3 }),
    ],
    minSeeds: 10,
    charts: NGRAM_CHARTS,
    evaluate(runs) {
      const arms = this.arms.filter((a) => runs[a.id]?.length);
      const lost = (rs: readonly RunRecord[]) =>
        rs.map((r) => {
          const d = change(r, (g) => g.metrics.giniSimpson);
          return d === null ? null : -d;
        });
      const cs = this.arms.map((a) =>
        compare(`Gini-Simpson lost, ${a.label}`, lost(runs[a.id] ?? []), 0.005),
      );
      const measured = `Gini-Simpson lost over the run: ${this.arms
        .map((a) => `${a.label} ${formatSummary(summarize(lost(runs[a.id] ?? [])), 4)}`)
        .join('; ')}.`;
      return outcome(measured, cs, [...arms.map((a) => driftBeside(a.label, runs[a.id]!)), NO_CLOSED_FORM]);
    },
  },
];

/** A finding by id. */
export const findingById = (id: string): Finding | undefined => findings.find((f) => f.id === id);

/** The validated config of one arm at one scale and seed: preset → scale → arm → seed. */
export function armConfig(finding: Finding, armId: string, scale: FindingScale, seed: number): Config {
  const a = finding.arms.find((x) => x.id === armId);
  if (!a) throw new Error(`finding ${finding.id} has no arm '${armId}'`);
  const r = resolveConfig(finding.preset, { ...finding.scales[scale], ...a.settings, seed });
  if (!r.ok) throw new Error(`${finding.id}/${armId}: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.config;
}

/** The seeds a finding runs with when `seeds` are asked for: 1, 2, … (at least its minSeeds). */
export const findingSeeds = (finding: Finding, seeds: number): number[] =>
  Array.from({ length: Math.max(seeds, finding.minSeeds ?? 0) }, (_, i) => i + 1);
