/** Evaluation probes: every fact in every format, as a prompt whose next token should be the answer. */
import { FORMATS, probeText, type Format } from './formats.ts';
import type { Domain, RelationName } from './schema.ts';
import { factsIn, type Bucket, type World } from './world.ts';

/** One probe: feed `promptWords`, the next token should be `answer`. */
export interface Probe {
  factId: number;
  format: Format;
  bucket: Bucket;
  domain: Domain;
  relation: RelationName;
  entity: string;
  promptWords: string[];
  answer: string;
}

/** Options of `probes`. */
export interface ProbeOptions {
  /** Only facts of these domains. */
  domains?: readonly Domain[];
  /** Only these formats. Default all. */
  formats?: readonly Format[];
}

/** Every fact × every format, in fact order then format order. */
export function probes(world: World, opts: ProbeOptions = {}): Probe[] {
  const formats = opts.formats ?? FORMATS;
  const out: Probe[] = [];
  for (const fact of factsIn(world, opts.domains)) {
    for (const format of formats) {
      const { promptWords, answer } = probeText(fact, format);
      out.push({
        factId: fact.id,
        format,
        bucket: fact.bucket,
        domain: fact.domain,
        relation: fact.relation,
        entity: fact.entityName,
        promptWords,
        answer,
      });
    }
  }
  return out;
}
