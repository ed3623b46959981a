import { readCounterRows } from '../stats/counters';

/** Employment figures: openings published, applications, hires — overall or by employer kind. */
export async function readJobStats(month: string, dimension: 'ALL' | 'KIND') {
  const rows = await readCounterRows('JOB', month, dimension);
  return rows.map((r) => ({
    key: r.key as string,
    openings: Number(r.openings ?? 0),
    applications: Number(r.applications ?? 0),
    hires: Number(r.hires ?? 0),
  }));
}
