import { hasRole } from '../../shared/auth/authorize';
import { httpHandler } from '../../shared/http/pipeline';
import { readJobStats } from '../../shared/jobs/stats';
import { readStats } from '../../shared/requests/stats';
import { getStats } from '../../shared/routes/requests';

const dimension = { all: 'ALL', grid: 'GRID', community: 'COMMUNITY', type: 'TYPE' } as const;

export const handler = httpHandler(getStats, async ({ principal, query }) => {
  if (query.domain === 'jobs') {
    // Employment figures are sub-district wide; grid and community are request dimensions.
    const jobs = query.by === 'type' ? await readJobStats(query.month, 'KIND') : query.by === 'all' ? await readJobStats(query.month, 'ALL') : [];
    return { month: query.month, by: query.by, requests: [], jobs };
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
