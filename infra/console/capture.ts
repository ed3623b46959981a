import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

/** The console's views, each as the staff see it: the hash route and what must be on screen first. */
export const consoleViews = [
  { name: 'overview', hash: '#/overview', ready: '[data-testid="open"]' },
  { name: 'grids', hash: '#/grids', ready: '.tile' },
  { name: 'grid', hash: '#/grid/G001', ready: '[data-worker]' },
  { name: 'queue', hash: '#/queue', ready: '.queue .panel[aria-busy="false"]' },
  { name: 'visits', hash: '#/visits', ready: '[data-testid="visits"] tbody tr' },
  { name: 'trends', hash: '#/trends', ready: '.chart canvas' },
  { name: 'screen', hash: '#/screen', ready: '.screen .tile' },
] as const;

export const viewports = { laptop: { width: 1366, height: 768 }, bigscreen: { width: 1920, height: 1080 } } as const;

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
}

/** Signs in through the real scan flow, approving as the mini-program would (the local demo helper). */
export async function signIn(page: Page, baseUrl: string, openid = 'dev-street-1'): Promise<void> {
  await page.goto(`${baseUrl}/console/#/login`);
  await page.locator(`[data-openid="${openid}"]`).click();
  await page.locator('.top').waitFor({ timeout: 15_000 });
}

/** Every view at both sizes into `dir`, full page. */
export async function captureAll(baseUrl: string, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const browser = await launch();
  const written: string[] = [];
  try {
    for (const [size, viewport] of Object.entries(viewports)) {
      const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
      await page.goto(`${baseUrl}/console/#/login`);
      await page.locator('[data-testid="login-qr"] svg').waitFor();
      const login = resolve(dir, `login-${size}.png`);
      await page.screenshot({ path: login });
      written.push(login);
      await signIn(page, baseUrl);
      for (const v of consoleViews) {
        await page.goto(`${baseUrl}/console/${v.hash}`);
        await page.locator(v.ready).first().waitFor({ timeout: 20_000 });
        // Charts animate in: let them settle before the picture.
        await page.waitForTimeout(v.name === 'trends' || v.name === 'screen' ? 1200 : 200);
        const file = resolve(dir, `${v.name}-${size}.png`);
        await page.screenshot({ path: file, fullPage: v.name !== 'screen' });
        written.push(file);
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return written;
}
