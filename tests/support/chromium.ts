import { existsSync } from 'node:fs';

import { type Browser,chromium } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (a test tool's own browser download cannot be
 * fetched here). `.ci/run` installs it; CHROMIUM_PATH points elsewhere if needed.
 */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}: apt-get install chromium fonts-noto-cjk (or set CHROMIUM_PATH)`);
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
}
