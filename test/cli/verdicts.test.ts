// docs/results/verdicts.json, which the lab's findings gallery shows, says what docs/RESULTS.md says, and
// what evaluating the committed run records says; and every finding of the lab has one, with its papers
// linked.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/cli/reproduce-report.ts';
import { findingById, findings, type RecordedVerdicts } from '../../src/findings/findings.ts';
import { resultsTable } from '../helpers/results-table.ts';

const verdicts = JSON.parse(fs.readFileSync('docs/results/verdicts.json', 'utf8')) as RecordedVerdicts;
// Hand-written readings that replace a verdict's automatic reason, where the page has any.
const NOTES = 'docs/results/notes.json';
const notes = fs.existsSync(NOTES)
  ? (JSON.parse(fs.readFileSync(NOTES, 'utf8')) as Record<string, string>)
  : {};

describe('docs/results/verdicts.json', () => {
  it('has a verdict for every finding of the lab, and for nothing else', () => {
    expect(Object.keys(verdicts.findings).sort()).toEqual(findings.map((f) => f.id).sort());
  });

  it('says what the table of docs/RESULTS.md says, word for word', () => {
    const table = resultsTable();
    expect([...table.keys()].sort()).toEqual(Object.keys(verdicts.findings).sort());
    for (const [id, row] of table) {
      const v = verdicts.findings[id]!;
      expect({ verdict: v.verdict, measured: v.measured, reason: v.reason }, id).toEqual(row);
    }
    // More than one verdict occurs, so a page that showed one for all could not pass.
    expect(new Set([...table.values()].map((r) => r.verdict)).size).toBeGreaterThan(1);
  });

  it('is what evaluating the committed run records gives', () => {
    const { manifest, runs } = readResults('docs/results');
    expect(verdicts.scale).toBe(manifest.scale);
    expect(verdicts.seeds).toBe(manifest.seeds);
    for (const m of manifest.findings) {
      const f = findingById(m.id)!;
      const o = f.evaluate(
        Object.fromEntries(m.arms.map((a) => [a.id, a.files.map((file) => runs.get(file)!)])),
      );
      const v = verdicts.findings[m.id]!;
      expect(v.verdict, m.id).toBe(o.verdict);
      expect(v.measured, m.id).toBe(o.measured);
      // Why: our reading where there is one, else what the numbers show; nothing when it holds.
      expect(v.reason, m.id).toBe(o.verdict === 'holds' ? '' : (notes[m.id] ?? o.reason));
      expect(v.reason === '', m.id).toBe(o.verdict === 'holds');
    }
  });
});

describe('the papers of the findings', () => {
  it('link each finding to its papers, an arXiv citation to that arXiv abstract', () => {
    for (const f of findings) {
      expect(f.papers.length, f.id).toBeGreaterThan(0);
      for (const p of f.papers) {
        expect(p.url, f.id).toMatch(/^https:\/\/(arxiv\.org\/abs\/\d{4}\.\d{5}|doi\.org\/10\.\d+\/\S+)$/);
        const arxiv = /arXiv (\d{4}\.\d{5})/.exec(p.cite)?.[1];
        if (arxiv) expect(p.url, p.cite).toBe(`https://arxiv.org/abs/${arxiv}`);
      }
    }
  });

  it('are links on the results page too', () => {
    const page = fs.readFileSync('docs/RESULTS.md', 'utf8');
    for (const f of findings) for (const p of f.papers) expect(page, f.id).toContain(`[${p.cite}](${p.url})`);
  });
});
