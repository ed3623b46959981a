import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { BadRequestError, ConflictError, ForbiddenError } from '../errors';
import { type CounterDelta,counterDelta, monthOf } from '../stats/counters';
import { beijingDate } from '../time';
import { householdRows, visitFigureDelta } from './figures';
import type { Colour, Household, PersonTag, Visit } from './model';

/**
 * The rules of a household's colour and tags and of a visit's log, pure (unit-tested without a
 * database in tests/unit/household-transitions.test.ts): the use-cases load, decide here, commit.
 */

export interface HouseholdChange {
  after: Household;
  /** For the colour history, when the colour changed. */
  colourChange: { from: Colour; to: Colour; reason: string; by: string } | null;
  delta: CounterDelta | null;
}

/**
 * A colour change (community staff and above; a grid worker proposes through a visit log instead)
 * or new tags for the members (the grid's workers too), with the reason on record. The caller has
 * checked that the household is in the actor's scope.
 */
export function decideHouseholdChange(
  h: Household,
  patch: { colour?: Colour; memberTags?: { personId: string; tags: PersonTag[] }[]; reason: string },
  p: Principal,
  now: Date,
): HouseholdChange {
  if (patch.colour && !hasRole(p, 'community_staff', 'street_staff', 'admin')) {
    throw new ForbiddenError('COLOUR_NEEDS_COMMUNITY', '调整红黄绿灯需社区确认，请在走访记录中提出建议');
  }
  const at = now.toISOString();
  let members = h.members;
  for (const mt of patch.memberTags ?? []) {
    if (!members.some((m) => m.personId === mt.personId)) {
      throw new BadRequestError('PERSON_NOT_FOUND', '该户没有这个成员', [{ field: 'body.memberTags.personId', reason: 'not_found', message: `没有成员 ${mt.personId}` }]);
    }
    members = members.map((m) => (m.personId === mt.personId ? { ...m, tags: mt.tags } : m));
  }
  const colour = patch.colour ?? h.colour;
  const { pendingColour: _p, ...rest } = h;
  const after: Household = {
    ...rest,
    members,
    tags: [...new Set(members.flatMap((m) => m.tags))],
    colour,
    colourReason: patch.colour ? patch.reason : h.colourReason,
    // A colour decision settles any pending proposal; a tag change leaves it waiting.
    ...(patch.colour || !h.pendingColour ? {} : { pendingColour: h.pendingColour }),
    updatedAt: at,
    version: h.version + 1,
  };
  if (!patch.colour || patch.colour === h.colour) return { after, colourChange: null, delta: null };
  return {
    after,
    colourChange: { from: h.colour, to: colour, reason: patch.reason, by: p.userId },
    delta: counterDelta(householdRows(h, { [h.colour]: -1, [colour]: 1 })),
  };
}

export interface VisitLogDecision {
  done: Visit;
  /** The household with the worker's colour proposal waiting for the community (when it differs). */
  householdAfter: Household | null;
  delta: CounterDelta | null;
}

/**
 * Logs an open visit of the worker's own grid, once; a proposed colour needs a reason and waits on
 * the household for community staff. Done late when logged after its due day (Beijing).
 */
export function decideVisitLog(
  v: Visit,
  log: { notes: string; findings: string[]; proposedColour?: Colour; proposedReason?: string },
  p: Principal,
  household: Household | null,
  now: Date,
): VisitLogDecision {
  if (!(hasRole(p, 'grid_worker') && p.gridId === v.gridId)) throw new ForbiddenError('OUT_OF_SCOPE', '这条走访任务不在您的网格');
  if (v.status !== 'open') throw new ConflictError('ALREADY_LOGGED', '这次走访已经记录过了');
  if (log.proposedColour && !log.proposedReason) {
    throw new BadRequestError('VALIDATION_FAILED', '建议调整颜色时请说明原因', [{ field: 'body.proposedReason', reason: 'required', message: '请说明原因' }]);
  }
  const at = now.toISOString();
  const done: Visit = { ...v, status: 'done', workerId: v.workerId, log: { ...log, at } };
  const householdAfter =
    log.proposedColour && household && household.colour !== log.proposedColour
      ? { ...household, pendingColour: { colour: log.proposedColour, reason: log.proposedReason!, visitId: v.visitId, by: p.userId, at }, version: household.version + 1 }
      : null;
  const delta = visitFigureDelta(v, [v], monthOf(at), () => ({ done: 1, ...(beijingDate(now) > v.dueDate ? { doneLate: 1 } : {}) }), { done: 1 });
  return { done, householdAfter, delta };
}
