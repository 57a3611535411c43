import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser } from 'playwright-core';

import { REPO_ROOT } from '@parley/config';

/** Where tests leave screenshots for people to look at (not committed). */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

/**
 * Headless Debian Chromium (apt-get install chromium); a downloaded browser is impossible offline.
 * The flags keep it from reaching for Google's hosts on a closed network.
 */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
