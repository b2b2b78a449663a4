// `--help`'s list of every setting: grouped as the lab groups them, each with its default, what it
// accepts and what it means, from the config schema itself (so it cannot fall out of date).
import { allowedValues, configFields, configGroups, configGroupTitles } from '../sim/config.ts';

/** Every setting of the config schema as help text, one line each, grouped as in the lab. */
export function settingsHelp(): string {
  const width = configFields.reduce((w, f) => Math.max(w, f.key.length), 0);
  const blocks = configGroups.map((group) => {
    const lines = configFields
      .filter((f) => f.group === group)
      .map((f) => {
        const unit = f.unit ? ` ${f.unit}` : '';
        return `  ${f.key.padEnd(width)}  ${f.description}\n  ${' '.repeat(width)}  default ${String(f.default)}${unit}; ${allowedValues(f)}`;
      });
    return `${configGroupTitles[group]}:\n${lines.join('\n')}`;
  });
  return `settings (--set key=value, or keys of a --config FILE):\n\n${blocks.join('\n\n')}`;
}
