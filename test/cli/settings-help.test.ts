import { describe, expect, it } from 'vitest';
import { settingsHelp } from '../../src/cli/settings-help.ts';
import { allowedValues, configFields, configGroupTitles } from '../../src/sim/config.ts';

describe('simulate --help', () => {
  it('lists every setting under its group with default, range and meaning', () => {
    const help = settingsHelp();
    const lines = help.split('\n');
    for (const f of configFields) {
      const at = lines.findIndex((l) => l.trimStart().startsWith(`${f.key} `));
      expect(at, f.key).toBeGreaterThan(0);
      expect(lines[at]).toContain(f.description);
      expect(lines[at + 1]).toContain(`default ${String(f.default)}`);
      expect(lines[at + 1]).toContain(allowedValues(f));
      // The nearest group title above the setting is its own group's.
      const title = lines
        .slice(0, at)
        .reverse()
        .find((l) => /^\S.*:$/.test(l));
      expect(title, f.key).toBe(`${configGroupTitles[f.group]}:`);
    }
  });
});
