import { hasRole } from '../../shared/auth/authorize';
import { httpHandler } from '../../shared/http/pipeline';
import { readJobStats } from '../../shared/jobs/stats';
import { readStats } from '../../shared/requests/stats';
import { readCounterRows } from '../../shared/stats/counters';
import { getStats } from '../../shared/routes/requests';

const dimension = { all: 'ALL', grid: 'GRID', community: 'COMMUNITY', type: 'TYPE' } as const;

export const handler = httpHandler(getStats, async ({ principal, query }) => {
  if (query.domain === 'jobs') {
    // Employment figures are sub-district wide; grid and community are request dimensions.
    const jobs = query.by === 'type' ? await readJobStats(query.month, 'KIND') : query.by === 'all' ? await readJobStats(query.month, 'ALL') : [];
    return { month: query.month, by: query.by, requests: [], jobs };
  }
  if (query.domain === 'households' || query.domain === 'visits') {
    // Households are a current snapshot; visits are counted per month.
    const rows = await readCounterRows(query.domain === 'households' ? 'HH' : 'VISIT', query.domain === 'households' ? 'current' : query.month, dimension[query.by]);
    const own = hasRole(principal, 'admin', 'street_staff')
      ? rows
      : rows.filter((r) => (query.by === 'grid' ? r.communityId === principal.communityId : query.by === 'community' ? r.key === principal.communityId : false));
    const n = (r: Record<string, unknown>, k: string) => Number(r[k] ?? 0);
    const base = (r: Record<string, unknown>) => ({ key: r.key as string, ...(r.communityId ? { communityId: r.communityId as string } : {}) });
    return query.domain === 'households'
      ? { month: query.month, by: query.by, requests: [], jobs: [], households: own.map((r) => ({ ...base(r), red: n(r, 'red'), yellow: n(r, 'yellow'), green: n(r, 'green') })) }
      : { month: query.month, by: query.by, requests: [], jobs: [], visits: own.map((r) => ({ ...base(r), due: n(r, 'due'), done: n(r, 'done'), doneLate: n(r, 'doneLate') })) };
  }
  let rows = await readStats(query.month, dimension[query.by]);
  // Community staff see their own community: its row, or its grids' rows.
  if (!hasRole(principal, 'admin', 'street_staff')) {
    const prefix = principal.communityId ?? '-';
    if (query.by === 'community') rows = rows.filter((r) => r.key === prefix);
    else if (query.by === 'grid') rows = rows.filter((r) => r.communityId === prefix);
    else rows = [];
  }
  return { month: query.month, by: query.by, requests: rows, jobs: [] };
});
