// Everything a run needs before generation 0: the world, its tokenizer, the model spec, the real
// corpora and the probe set — all derived from the config and its seed.
import { modelSpec } from '../model/architectures.ts';
import { ngramSpec, type EngineSpec } from '../model/spec.ts';
import {
  heldOutDocuments,
  trainingDocuments,
  trainingRng,
  realDocuments,
  type Document,
} from '../world/corpus.ts';
import { probes as allProbes } from '../world/probes.ts';
import { deriveRng } from '../world/rng.ts';
import type { Domain } from '../world/schema.ts';
import { wordTokenizer, type Tokenizer } from '../world/tokenizer.ts';
import { createWorld, type World } from '../world/world.ts';
import type { Config } from './config.ts';
import type { TrainingDocument } from './data.ts';
import type { EvalProbe } from './evaluate.ts';
import type { CorpusRecord } from './corpus-record.ts';
import { userRunData } from './user-run.ts';
import type { UserCorpus } from '../world/user-corpus.ts';

export interface RunSetup {
  /** The fact world (its grammar and checker apply only when there is no user corpus). */
  world: World;
  tokenizer: Tokenizer;
  /** The model the engine factory builds: a GPT, or the n-gram model (`kind: 'ngram'`). */
  spec: EngineSpec;
  /** The real training corpus (generation 0 trains on all of it). */
  real: TrainingDocument[];
  /** Real documents of the evaluated domain only (domain-specific loop). */
  domainReal: TrainingDocument[];
  /** Held-out real documents, tokenised, for perplexity and model entropy. */
  heldOut: number[][];
  /** The probe set: `probeFacts` facts of the evaluated domain, every format (or a user corpus's Q/A pairs). */
  probes: EvalProbe[];
  /** Present when the run is on a user corpus rather than the fact world: what the record keeps of it. */
  corpus?: CorpusRecord;
}

const tokenise = (tokenizer: Tokenizer, docs: Document[], generation = 0): TrainingDocument[] =>
  docs.map((d) => ({ ids: tokenizer.encodeDocument(d.words), provenance: 'real', generation }));

const specFor = (config: Config, V: number): EngineSpec =>
  config.model === 'ngram'
    ? ngramSpec(V, {
        order: config.ngramOrder,
        addK: config.ngramAddK,
        contextLength: 64,
        batchSize: config.batchSize,
      })
    : modelSpec(config.model, config, V);

/** Everything a run needs; with `corpus`, the real text, held-out text and probes are the user's. */
export function setupRun(config: Config, corpus?: UserCorpus): RunSetup {
  const world = createWorld({
    seed: config.seed,
    entitiesPerKind: config.entitiesPerKind,
    zipf: config.zipfExponent,
  });
  if (corpus) {
    const { tokenizer, real, heldOut, probes, record } = userRunData(corpus, config);
    const spec = specFor(config, tokenizer.vocabSize);
    return { world, tokenizer, spec, real, domainReal: real, heldOut, probes, corpus: record };
  }
  const tokenizer = wordTokenizer(world);
  const spec = specFor(config, tokenizer.vocabSize);
  const domain = config.evalDomain as Domain;
  const real = tokenise(
    tokenizer,
    trainingDocuments(world, { count: config.realDocuments, factShare: config.factShare }),
  );
  const domainReal = tokenise(
    tokenizer,
    realDocuments(world, trainingRng(world, 'domain'), { count: config.realDocuments, domains: [domain] }),
  );
  const heldOut = tokenise(
    tokenizer,
    heldOutDocuments(world, { count: config.heldOutDocuments, factShare: config.factShare }),
  ).map((d) => d.ids);
  // A fixed, seeded subset of the domain's facts, probed in every format.
  const domainProbes = allProbes(world, { domains: [domain] });
  const factIds = [...new Set(domainProbes.map((p) => p.factId))];
  const chosen = new Set(deriveRng(config.seed, 'probes').shuffle(factIds).slice(0, config.probeFacts));
  const probes = domainProbes.filter((p) => chosen.has(p.factId));
  return { world, tokenizer, spec, real, domainReal, heldOut, probes };
}

/** Fresh real documents for generation g (fresh data mode), from their own stream. */
export function freshRealDocuments(
  s: RunSetup,
  config: Config,
  g: number,
  count: number,
): TrainingDocument[] {
  if (s.corpus) {
    // A user corpus has no source of new text: `fresh` draws its documents again, with replacement.
    const rng = deriveRng(config.seed, `user-corpus:fresh:${g}`);
    return Array.from({ length: count }, () => ({ ...rng.pick(s.real), generation: g }));
  }
  const domains = config.domainSpecific ? [config.evalDomain as Domain] : undefined;
  const docs = realDocuments(s.world, trainingRng(s.world, `fresh:${g}`), {
    count,
    factShare: config.factShare,
    domains,
  });
  return tokenise(s.tokenizer, docs, g);
}
