import { backfillHardshipMarkers } from '../../shared/households/import';
import { tableOnlyTarget } from './target';

/**
 * `npm run backfill-hardship`: writes the 低保/特困 markers (免予核查 for legal aid) of households
 * imported before the markers existed — once, after deploying the version that reads them. One
 * Query a grid and tag, idempotent (a marker is only ever put). Against the running local stack by
 * default; in AWS with TABLE_NAME and credentials set (docs/operations.md).
 */
async function main(): Promise<void> {
  tableOnlyTarget();
  const started = performance.now();
  const r = await backfillHardshipMarkers();
  console.log(`backfill-hardship: ${r.grids} grids read, ${r.markers} markers written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
