// The lab's narrative line: what the generation on screen shows, in words, from its record — the
// numbers behind the stage and the stage's name, so that nobody needs the legend to follow the story.
import { STAGE_NAMES } from '../charts/metric-lines.ts';
import type { GenerationRecord } from '../sim/record.ts';
import type { Stage } from '../sim/stages.ts';
import { number, percent } from './format.ts';

/** What the narrative needs to know about the run besides its generations. */
export interface NarrativeContext {
  /** Trained on your own corpus: fluency is judged by perplexity, not grammar. */
  userCorpus?: boolean;
  /** A count model (n-gram): it answers no questions, so its story is diversity. */
  countModel?: boolean;
}

/** What each stage means, as the end of the narrative line. */
const MEANING: Readonly<Record<Stage, string>> = {
  A: 'still close to what generation 0 knew',
  B: 'fluent, but wrong',
  C: 'the text itself is breaking down',
};

const pct = (x: number | null) => percent(x, 0);

const NOT_JUDGED = 'fluency is not measured (your corpus is too small to tell its text from fragments of it)';

/**
 * One or two sentences on the last of `generations` (those on screen, generation 0 first), e.g.
 * "Generation 5: accuracy 34% (75% at generation 0) while 71% of sentences are still grammatical —
 * knowledge collapse since generation 2: fluent, but wrong." Empty before generation 0 has finished.
 */
export function narrate(generations: readonly GenerationRecord[], context: NarrativeContext = {}): string {
  const first = generations[0];
  const g = generations.at(-1);
  if (!first || !g) return '';
  const { accuracy, fluency, giniSimpson } = g.metrics;
  const fluent = context.userCorpus ? 'of samples read as fluent' : 'of sentences are grammatical';
  // A corpus too small to judge fluency on (src/sim/text-fluency.ts) has none from generation 0 on.
  const unjudged = context.userCorpus && first.metrics.fluency === null ? NOT_JUDGED : null;
  if (context.countModel) {
    // Its text is word salad from the start, so accuracy, fluency and the stages say nothing about it.
    const now = `the chance that two words of its text differ is ${number(giniSimpson)}`;
    return g === first
      ? `Generation 0, a count model fitted to real text: it answers no questions and writes word salad, so watch its diversity — ${now}.`
      : `Generation ${g.generation}: ${now} (${number(first.metrics.giniSimpson)} at generation 0) — a count model refitted to its own text loses rare words by chance alone.`;
  }
  if (unjudged && accuracy === null) return unjudgedText(g, first);
  if (g === first)
    return `Generation 0, trained on real text: it answers ${pct(accuracy)} of the probe questions right, and ${unjudged ?? `${pct(fluency)} ${fluent}`}. Stage ${g.stage}: ${STAGE_NAMES[g.stage]}.`;
  // The generation the current stretch of this stage began at.
  let since = generations.length - 1;
  while (since > 0 && generations[since - 1]!.stage === g.stage) since--;
  // The name without its gloss ("knowledge collapse", not "…, still fluent"): the meaning follows it.
  const name = `${STAGE_NAMES[g.stage].split(',')[0]}${g.stage !== 'A' && since > 0 ? ` since generation ${generations[since]!.generation}` : ''}`;
  const acc = `accuracy ${pct(accuracy)} (${pct(first.metrics.accuracy)} at generation 0)`;
  const flu = unjudged ?? `${pct(fluency)} ${fluent} (${pct(first.metrics.fluency)} at generation 0)`;
  const numbers =
    g.stage === 'B'
      ? `${acc} while ${unjudged ?? `${pct(fluency)} ${fluent.replace(' are ', ' are still ')}`}`
      : g.stage === 'C'
        ? `only ${flu}; ${acc}`
        : `${acc}, and ${flu}`;
  return `Generation ${g.generation}: ${numbers} — ${name}: ${MEANING[g.stage]}.`;
}

/**
 * Plain text whose fluency cannot be judged and which probes no facts: no stage can say anything, so
 * the line gives the measurements that still move when the text degenerates — its variety of word
 * pairs (distinct-2) and its perplexity on held-out real text — against generation 0's.
 */
function unjudgedText(g: GenerationRecord, first: GenerationRecord): string {
  const { distinct2, realPerplexity } = g.metrics;
  const now = `word-pair variety (distinct-2) ${number(distinct2)}, perplexity on your held-out text ${number(realPerplexity)}`;
  if (g === first)
    return `Generation 0, trained on your text: ${NOT_JUDGED}, and plain text asks no questions, so no stage can mark a collapse; watch its ${now}.`;
  const then = `${number(first.metrics.distinct2)} and ${number(first.metrics.realPerplexity)} at generation 0`;
  return `Generation ${g.generation}: ${NOT_JUDGED}; its ${now} (${then}) — no stage can mark a collapse here: falling variety and rising perplexity are the signs of it.`;
}
