import { type CounterDelta, counterDelta, type CounterUpdate } from '../stats/counters';
import type { Visit } from './model';

/** The households-by-colour rows of a grid (grid, its community, the sub-district), with what to add. */
export function householdRows(grid: { gridId: string; communityId: string }, adds: Record<string, number>): CounterUpdate[] {
  return [
    { domain: 'HH', period: 'current', dimension: 'GRID', value: grid.gridId, set: { communityId: grid.communityId }, adds },
    { domain: 'HH', period: 'current', dimension: 'COMMUNITY', value: grid.communityId, adds },
    { domain: 'HH', period: 'current', dimension: 'ALL', value: 'all', adds },
  ];
}

/**
 * Visit figures per month (due, done, done late) and per due day (due that day, done of those), for
 * the grid, its community, the sub-district and each worker (plan vs done per worker). A weekly or
 * monthly visit counts on the day it falls due, so a day's done never exceeds its due.
 */
export function visitFigureDelta(grid: { gridId: string; communityId: string }, visits: readonly Visit[], month: string, adds: (v: Visit) => Record<string, number>, dayAdds: Record<string, number>): CounterDelta | null {
  return counterDelta(
    visits.flatMap((v) => {
      const targets: [string, string, Record<string, string>?][] = [
        ['GRID', grid.gridId, { communityId: grid.communityId }],
        ['COMMUNITY', grid.communityId],
        ['ALL', 'all'],
        ['WORKER', v.workerId, { gridId: grid.gridId }],
      ];
      return targets.flatMap(([dimension, value, set]) => [
        { domain: 'VISIT', period: month, dimension, value, ...(set ? { set } : {}), adds: adds(v) },
        { domain: 'VISIT', period: v.dueDate, dimension, value, ...(set ? { set } : {}), adds: dayAdds },
      ]);
    }),
  );
}
