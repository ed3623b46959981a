import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { planVisits } from '../../shared/households/use-cases';
import { buildConsole } from '../local/console';
import { seedHistory } from '../local/history';
import { projectRoot } from '../local/http-api';
import { seedDemoData } from '../local/seed';
import { startLocalStack } from '../local/stack';
import { captureAll } from './capture';

/**
 * `npm run console:screenshots`: every console view at laptop (1366×768) and big-screen
 * (1920×1080) size, as PNGs in preview/console/, from a fresh in-memory stack with the demo data
 * and its 12 months of history — what a reviewer opens before approving a change to the console.
 */
async function main(): Promise<void> {
  const out = resolve(projectRoot, process.argv[2] ?? 'preview/console');
  await buildConsole();
  // Workers on: the import view's roster file is checked by the imports consumer, as in AWS.
  const stack = await startLocalStack({ prefix: 'shots-', stage: 'local', port: 0, workers: true, keyDir: mkdtempSync(join(tmpdir(), 'shots-keys-')) });
  try {
    await seedDemoData();
    await seedHistory();
    // Today's visits, as the daily schedule makes them under npm start (the 走访 view is empty otherwise).
    await planVisits();
    const files = await captureAll(stack.apiUrl, out);
    console.log(`${files.length} screenshots in ${out}`);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
