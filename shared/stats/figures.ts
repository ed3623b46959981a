import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { readJobStats } from '../jobs/stats';
import { readStats } from '../requests/stats';
import { readCounterRows } from './counters';

export interface FiguresQuery {
  month: string;
  by: 'all' | 'grid' | 'community' | 'type';
  domain: 'requests' | 'jobs' | 'households' | 'visits';
}

const dimension = { all: 'ALL', grid: 'GRID', community: 'COMMUNITY', type: 'TYPE' } as const;

/**
 * The sub-district and admins see every row; community staff their own community's row, or the
 * rows of its grids — never the sub-district totals or another community.
 */
function inScope<R extends { key: string; communityId?: string }>(p: Principal, by: FiguresQuery['by'], rows: R[]): R[] {
  if (hasRole(p, 'admin', 'street_staff')) return rows;
  if (!p.communityId) return [];
  if (by === 'community') return rows.filter((r) => r.key === p.communityId);
  if (by === 'grid') return rows.filter((r) => r.communityId === p.communityId);
  return [];
}

/** GET /v1/stats: one Query of one domain's counters, scoped to the caller. */
export async function readFigures(p: Principal, q: FiguresQuery) {
  const answer = { month: q.month, by: q.by, requests: [] as Awaited<ReturnType<typeof readStats>>, jobs: [] as Awaited<ReturnType<typeof readJobStats>> };
  if (q.domain === 'jobs') {
    // Employment figures are sub-district wide; grid and community are request dimensions.
    if (q.by === 'all' || q.by === 'type') answer.jobs = await readJobStats(q.month, q.by === 'all' ? 'ALL' : 'KIND');
    return answer;
  }
  if (q.domain === 'requests') return { ...answer, requests: inScope(p, q.by, await readStats(q.month, dimension[q.by])) };

  // Households are a current snapshot; visits are counted per month.
  const raw = await readCounterRows(q.domain === 'households' ? 'HH' : 'VISIT', q.domain === 'households' ? 'current' : q.month, dimension[q.by]);
  const rows = inScope(p, q.by, raw.map((r) => ({ ...r, key: r.key as string, ...(r.communityId ? { communityId: r.communityId as string } : {}) })));
  const n = (r: Record<string, unknown>, k: string) => Number(r[k] ?? 0);
  const base = (r: { key: string; communityId?: string }) => ({ key: r.key, ...(r.communityId ? { communityId: r.communityId } : {}) });
  return q.domain === 'households'
    ? { ...answer, households: rows.map((r) => ({ ...base(r), red: n(r, 'red'), yellow: n(r, 'yellow'), green: n(r, 'green') })) }
    : { ...answer, visits: rows.map((r) => ({ ...base(r), due: n(r, 'due'), done: n(r, 'done'), doneLate: n(r, 'doneLate') })) };
}
