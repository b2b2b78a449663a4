import { describe, expect, it } from 'vitest';
import { wasmThreads } from '../../src/engine/browser.ts';

describe('WASM threads in the browser', () => {
  it('one without cross-origin isolation; with it, one core left to the page and at most 4', () => {
    expect(wasmThreads(false, 16)).toBe(1);
    expect(wasmThreads(true, 1)).toBe(1);
    expect(wasmThreads(true, 2)).toBe(1);
    expect(wasmThreads(true, 3)).toBe(2);
    expect(wasmThreads(true, 4)).toBe(3);
    expect(wasmThreads(true, 16)).toBe(4);
  });
});
