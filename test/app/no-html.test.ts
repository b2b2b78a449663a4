// No user-supplied string may be rendered as HTML: the app never parses strings into markup.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('rendering', () => {
  it('uses no {@html}, innerHTML, outerHTML, insertAdjacentHTML or document.write in src/app', () => {
    const sources = files('src/app').filter((f) => /\.(svelte|ts)$/.test(f));
    expect(sources.length).toBeGreaterThan(10);
    const found = sources.flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ f, i, line }))
        .filter(({ line }) =>
          /\{@html\b|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write/.test(line),
        )
        .map(({ f, i, line }) => `${f}:${i + 1}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
