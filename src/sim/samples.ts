// Synthetic documents as the run record keeps them: text plus character spans the checker marked
// (true facts, false facts, filler, ungrammatical stretches).
import type { DocumentCheck } from '../world/checker.ts';
import { BOS, EOS, PAD } from '../world/tokenizer.ts';
import type { GenerationRecord } from './record.ts';
import type { RunSetup } from './setup.ts';

type SampleRecord = GenerationRecord['samples'][number];

const kindOf = (s: DocumentCheck['sentences'][number]): string =>
  s.kind === 'fact'
    ? s.true
      ? 'true-fact'
      : 'false-fact'
    : s.kind === 'filler'
      ? 'filler'
      : 'ungrammatical';

export function sampleRecords(
  setup: RunSetup,
  docs: readonly number[][],
  checks: readonly DocumentCheck[],
): SampleRecord[] {
  return docs.map((ids, d) => {
    // character offset where each token starts (specials take no room)
    const starts: number[] = [];
    const ends: number[] = [];
    let text = '';
    for (const id of ids) {
      starts.push(text.length);
      if (id !== BOS && id !== EOS && id !== PAD)
        text += (text ? ' ' : '') + (setup.tokenizer.vocab[id] ?? '<unk>');
      ends.push(text.length);
    }
    const spans = (checks[d]?.sentences ?? []).map((s) => ({
      start: starts[s.start] === undefined ? 0 : starts[s.start]! + (starts[s.start]! > 0 ? 1 : 0),
      end: ends[s.end - 1] ?? text.length,
      kind: kindOf(s),
      ...(s.factId !== undefined ? { factId: String(s.factId) } : {}),
    }));
    return { text, spans };
  });
}
