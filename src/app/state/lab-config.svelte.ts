// The configuration the next run will use, with the URL query as its source of truth: the page reads
// it on load (and on back/forward), and every change is written back with history.replaceState.
import { checkField, type Config, type ConfigError, type ConfigKey } from '../../sim/config.ts';
import type { PresetName } from '../../sim/presets.ts';
import type { PageBackendRequest } from '../../worker/simulation-api.ts';
import { presetConfig, readUrlConfig, writeUrlConfig } from './url-config.ts';

export class LabConfig {
  /** The preset the config starts from; the URL lists only the settings that differ from it. */
  preset = $state<PresetName>('default');
  /** The full, valid config (replaced whole on every change). */
  config = $state.raw<Config>(presetConfig('default'));
  /** The backend the next run asks for. */
  backend = $state<PageBackendRequest>('auto');
  /** Problems found in the URL, each naming its parameter; those fields use the preset's value. */
  urlErrors = $state.raw<ConfigError[]>([]);

  /** The query string that reproduces this config (without '?'). */
  readonly query = $derived(writeUrlConfig(this.preset, this.config, this.backend));

  constructor(search: string) {
    this.load(search);
  }

  /** Takes the whole state from a query string. */
  load(search: string): void {
    const r = readUrlConfig(search);
    this.preset = r.preset;
    this.config = r.config;
    this.backend = r.backend;
    this.urlErrors = r.errors;
  }

  /** Starts over from a preset's settings. */
  usePreset(name: PresetName): void {
    this.preset = name;
    this.config = presetConfig(name);
  }

  /** Sets one setting; refuses (returns false) a value outside its range or options. */
  set<K extends ConfigKey>(key: K, value: unknown): boolean {
    const r = checkField(key, value);
    if (!r.ok) return false;
    this.config = { ...this.config, [key]: r.value };
    return true;
  }

  /** Puts a setting back to the preset's value. */
  reset(key: ConfigKey): void {
    this.config = { ...this.config, [key]: presetConfig(this.preset)[key] };
  }

  dismissUrlErrors(): void {
    this.urlErrors = [];
  }
}
