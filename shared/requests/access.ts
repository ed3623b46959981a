import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import type { ServiceRequest } from './model';

/**
 * Who may handle a request at its current level: the grid's workers at grid level (only the
 * assignee when the request is private), the community's staff, the sub-district's staff, the
 * legal centre's officers.
 */
export function isHandler(p: Principal, r: ServiceRequest): boolean {
  switch (r.level) {
    case 'grid':
      if (!hasRole(p, 'grid_worker') || p.gridId !== r.gridId) return false;
      return !r.private || !r.assigneeId || r.assigneeId === p.userId;
    case 'community':
      return hasRole(p, 'community_staff') && p.communityId === r.communityId;
    case 'street':
      return hasRole(p, 'street_staff');
    case 'legal':
      return hasRole(p, 'legal_officer');
    default:
      return false;
  }
}

/**
 * Who may read a request. Private ones (legal aid, disputes): the requester and those handling
 * it, nobody else — not the admin, not the other staff. Others: also everyone whose grid,
 * community or sub-district scope covers the request.
 */
export function canRead(p: Principal, r: ServiceRequest): boolean {
  if (speaksForRequester(p, r) || r.onBehalf?.submittedBy === p.userId) return true;
  if (r.assigneeId === p.userId || isHandler(p, r)) return true;
  if (r.private) return false;
  if (hasRole(p, 'admin', 'street_staff')) return true;
  if (hasRole(p, 'community_staff') && r.communityId && p.communityId === r.communityId) return true;
  if (hasRole(p, 'grid_worker') && r.gridId && p.gridId === r.gridId) return true;
  return false;
}

/** The requester, or (代办) a household member who follows the request for them. */
export function speaksForRequester(p: Principal, r: ServiceRequest): boolean {
  return r.requesterId === p.userId || !!r.followerIds?.includes(p.userId);
}
