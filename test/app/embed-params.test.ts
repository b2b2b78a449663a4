// The embed's URL: the recorded run, the live run's backend and the theme, light unless asked otherwise;
// a value it does not know is named, with the choices, and the default used.
import { describe, expect, it } from 'vitest';
import { readEmbedParams } from '../../src/app/embed/params.ts';

describe('readEmbedParams', () => {
  it('defaults to the first recorded run, the auto backend and the light theme', () => {
    expect(readEmbedParams('?embed')).toEqual({ runId: null, backend: 'auto', theme: 'light', problems: [] });
    expect(readEmbedParams('?embed=')).toMatchObject({ runId: null });
  });

  it('reads the run, the backend and each theme', () => {
    expect(readEmbedParams('?embed=quick&backend=wasm&theme=dark')).toEqual({
      runId: 'quick',
      backend: 'wasm',
      theme: 'dark',
      problems: [],
    });
    expect(readEmbedParams('embed=ngram&backend=webgpu&theme=auto')).toMatchObject({
      backend: 'webgpu',
      theme: 'auto',
    });
    expect(readEmbedParams('?embed&theme=light').theme).toBe('light');
  });

  it('names a bad backend or theme, with the choices, and uses the default', () => {
    const p = readEmbedParams('?embed=collapse&backend=cuda&theme=Dark');
    expect(p).toMatchObject({ runId: 'collapse', backend: 'auto', theme: 'light' });
    expect(p.problems).toEqual([
      "backend: must be one of auto, webgpu, wasm, got 'cuda'; using 'auto'",
      "theme: must be one of light, dark, auto, got 'Dark'; using 'light'",
    ]);
    expect(readEmbedParams(`?embed&theme=${'x'.repeat(500)}`).problems[0]!.length).toBeLessThan(120);
  });
});
