// Headless Debian Chromium driven by playwright-core, with SwiftShader's WebGPU adapter on CPU.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
];

/** Launch a fresh headless Chromium (playwright gives each launch a new, empty profile). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A headless Chromium with a profile on disk (removed by `close`). Storage quotas apply only there: a
 * fresh profile of launchChromium keeps IndexedDB in memory, where usage is never counted, so Chrome
 * DevTools Protocol's Storage.overrideQuotaForOrigin has no effect.
 */
export async function launchPersistentChromium(): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ouroboros-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
