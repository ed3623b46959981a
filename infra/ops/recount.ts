import { recount } from './recount-figures';
import { tableOnlyTarget } from './target';

/**
 * `npm run recount`: recomputes the figures from the items and prints every counter that
 * disagrees; exit 1 if any. Against the running local stack by default (.local/endpoints.json);
 * in AWS, run with TABLE_NAME and credentials set (docs/operations.md).
 */
async function main(): Promise<void> {
  tableOnlyTarget();
  const started = performance.now();
  const r = await recount();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`recount: ${r.requests} requests, ${r.households} households, ${r.checked} counters checked in ${seconds} s; ${r.notComparable} reopened requests (their months' resolve counters not compared)`);
  for (const d of r.disagreements) console.log(`  DISAGREES ${d.partition} ${d.row} ${d.counter}: counted ${d.counted}, recomputed ${d.recomputed}`);
  if (r.disagreements.length) {
    console.log(`${r.disagreements.length} counters disagree.`);
    process.exit(1);
  }
  console.log('every counter agrees with the items.');
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
