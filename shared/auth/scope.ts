import { hasRole } from './authorize';
import type { Principal } from './principal';

/**
 * Scope rules of the three-level grid: a grid worker sees their grid, community staff their
 * community, the sub-district (street staff) and admins everything.
 */
export function canSeeGrid(p: Principal, grid: { gridId: string; communityId: string }): boolean {
  if (hasRole(p, 'admin', 'street_staff')) return true;
  if (hasRole(p, 'community_staff') && p.communityId === grid.communityId) return true;
  if (hasRole(p, 'grid_worker') && p.gridId === grid.gridId) return true;
  return false;
}
