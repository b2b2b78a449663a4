import { describe, expect, it } from 'vitest';
import { FORMATS, probeText, renderFact, TEMPLATES } from '../../src/world/formats.ts';
import { probes } from '../../src/world/probes.ts';
import { createWorld, factOf } from '../../src/world/world.ts';

describe('formats and probes', () => {
  const world = createWorld();

  it('renders the expected sentences for a capital', () => {
    const country = world.entities.find((e) => e.kind === 'country')!;
    const f = factOf(world, country.name, 'capital')!;
    const [c, v] = [country.name, f.value];
    expect(renderFact(f, 'declarative').join(' ')).toBe(`the capital of ${c} is ${v} .`);
    expect(renderFact(f, 'qa').join(' ')).toBe(`question : what is the capital of ${c} ? answer : ${v} .`);
    expect(renderFact(f, 'instruction').join(' ')).toBe(
      `instruction : name the capital of ${c} ; response : ${v} .`,
    );
  });

  it('every fact renders in every format; prompt + answer + "." is the sentence', () => {
    for (const f of world.facts) {
      for (const format of FORMATS) {
        const { promptWords, answer } = probeText(f, format);
        const sentence = renderFact(f, format);
        expect([...promptWords, answer, '.']).toEqual(sentence);
        expect(answer).toBe(f.value);
        expect(promptWords).toContain(f.entityName);
        expect(promptWords.length).toBeLessThanOrEqual(16);
        expect(sentence.every((w) => w.length > 0 && !w.includes(' '))).toBe(true);
        // Only the final token ends the sentence, so the splitter sees it as one sentence.
        expect(sentence.indexOf('.')).toBe(sentence.length - 1);
      }
    }
  });

  it('no two templates share their literal words', () => {
    const all = Object.values(TEMPLATES).flatMap((byFormat) => Object.values(byFormat));
    expect(new Set(all).size).toBe(all.length);
  });

  it('probes cover every fact × format and honour domain filters', () => {
    const all = probes(world);
    expect(all).toHaveLength(world.facts.length * FORMATS.length);
    for (const p of all) {
      const f = world.facts[p.factId]!;
      expect(p.answer).toBe(f.value);
      expect(p.bucket).toBe(f.bucket);
      expect(p.domain).toBe(f.domain);
      expect([...p.promptWords, p.answer, '.']).toEqual(renderFact(f, p.format));
    }
    const people = probes(world, { domains: ['people'], formats: ['qa'] });
    expect(people).toHaveLength(40 * 3);
    expect(people.every((p) => p.domain === 'people' && p.format === 'qa')).toBe(true);
  });
});
