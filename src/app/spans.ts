// A sample's text cut into pieces at the checker's spans, for highlighting without HTML strings.

/** A checker span: characters [start, end) of a sample and what the checker found there. */
export interface Span {
  start: number;
  end: number;
  kind: string;
}

/** A piece of text, marked with its span's kind or unmarked (null). */
export interface Segment {
  text: string;
  kind: string | null;
}

/**
 * Cuts `text` at `spans` into consecutive segments covering it exactly once. Spans are taken in start
 * order; a span overlapping an earlier one is cut to begin where that one ended; out-of-range offsets
 * are clamped to the text.
 */
export function segments(text: string, spans: readonly Span[] = []): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  const push = (end: number, kind: string | null) => {
    if (end > at) out.push({ text: text.slice(at, end), kind });
    at = Math.max(at, end);
  };
  for (const s of [...spans].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const start = Math.min(Math.max(s.start, at), text.length);
    const end = Math.min(Math.max(s.end, start), text.length);
    push(start, null);
    push(end, s.kind);
  }
  push(text.length, null);
  return out;
}
