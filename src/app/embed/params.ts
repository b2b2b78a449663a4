// The embed's URL: `?embed[=<recorded run>][&backend=auto|webgpu|wasm][&theme=light|dark|auto]`. Pure:
// a value it does not know falls back to the default and says so, naming the parameter and the choices.
import type { PageBackendRequest } from '../../worker/simulation-api.ts';
import { BACKENDS } from '../state/url-config.ts';
import { isTheme, THEMES, type Theme } from '../theme.ts';

export interface EmbedParams {
  /** The recorded run to replay (null: the first listed). */
  runId: string | null;
  /** Where the live run trains. */
  backend: PageBackendRequest;
  /** Default light: the embed sits in an article, whose colours the reader's OS setting says nothing about. */
  theme: Theme;
  /** One sentence per bad parameter, starting with the parameter's name. */
  problems: string[];
}

const isBackend = (value: string): value is PageBackendRequest =>
  (BACKENDS as readonly string[]).includes(value);

export function readEmbedParams(search: string): EmbedParams {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const backend = params.get('backend') ?? 'auto';
  const theme = params.get('theme') ?? 'light';
  if (!isBackend(backend))
    problems.push(
      `backend: must be one of ${BACKENDS.join(', ')}, got '${backend.slice(0, 40)}'; using 'auto'`,
    );
  if (!isTheme(theme))
    problems.push(`theme: must be one of ${THEMES.join(', ')}, got '${theme.slice(0, 40)}'; using 'light'`);
  return {
    runId: params.get('embed') || null,
    backend: isBackend(backend) ? backend : 'auto',
    theme: isTheme(theme) ? theme : 'light',
    problems,
  };
}
