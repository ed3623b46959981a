import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

import { demoRoster } from '../local/demo-data';

/**
 * A community's roster file with three faults, as staff really send them: a mistyped ID number, a
 * tag not on the list, a grid that does not exist. The import view is pictured with what it says.
 */
export function faultyRoster(): Buffer {
  const lines = demoRoster(12, { prefix: 'XF', grids: 4 }).trim().split('\n');
  lines[3] = lines[3]!.replace(/,(\d{17})([\dX]),/, (_m, d: string, check: string) => `,${d}${check === '0' ? '1' : '0'},`);
  lines[5] = lines[5]!.replace(/,([^,]*)$/, ',贫困户');
  for (const i of [7, 8, 9]) lines[i] = lines[i]!.replace(',G003,', ',G300,');
  return Buffer.from(lines.join('\n') + '\n');
}

async function importFaultyRoster(page: Page): Promise<void> {
  await page.locator('[data-testid="roster-file"]').setInputFiles({ name: '幸福社区花名册.csv', mimeType: 'text/csv', buffer: faultyRoster() });
  await page.locator('[data-testid="roster-start"]').click();
  await page.locator('[data-testid="roster-job"][data-status="failed"]').waitFor({ timeout: 30_000 });
}

/** The console's views, each as the staff see it: the hash route, what must be on screen first, and what to do there before the picture. */
export const consoleViews: readonly { name: string; hash: string; ready: string; act?: (page: Page) => Promise<void> }[] = [
  { name: 'overview', hash: '#/overview', ready: '[data-testid="open"]' },
  { name: 'grids', hash: '#/grids', ready: '.tile' },
  { name: 'grid', hash: '#/grid/G001', ready: '[data-worker]' },
  { name: 'queue', hash: '#/queue', ready: '.queue .panel[aria-busy="false"]' },
  { name: 'visits', hash: '#/visits', ready: '[data-testid="visits"] tbody tr' },
  { name: 'trends', hash: '#/trends', ready: '.chart canvas' },
  { name: 'import', hash: '#/import', ready: '.import-pick', act: importFaultyRoster },
  { name: 'screen', hash: '#/screen', ready: '.screen .tile' },
];

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
        await v.act?.(page);
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
