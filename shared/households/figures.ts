import type { CounterUpdate } from '../stats/counters';

/** The households-by-colour rows of a grid (grid, its community, the sub-district), with what to add. */
export function householdRows(grid: { gridId: string; communityId: string }, adds: Record<string, number>): CounterUpdate[] {
  return [
    { domain: 'HH', period: 'current', dimension: 'GRID', value: grid.gridId, set: { communityId: grid.communityId }, adds },
    { domain: 'HH', period: 'current', dimension: 'COMMUNITY', value: grid.communityId, adds },
    { domain: 'HH', period: 'current', dimension: 'ALL', value: 'all', adds },
  ];
}
