import { describe, expect, it } from 'vitest';

import type { Principal } from '../../shared/auth/principal';
import type { Household, Visit } from '../../shared/households/model';
import { decideHouseholdChange, decideVisitLog } from '../../shared/households/transitions';

/** Households' colour and tags, and visit logs, without a database (#17). */
const now = new Date('2026-11-30T02:00:00.000Z');
const household = (extra: Partial<Household> = {}): Household => ({
  householdId: 'H1',
  gridId: 'G001',
  communityId: 'C01',
  address: '1栋1单元101',
  residentGroup: '一组',
  colour: 'green',
  colourReason: '稳定',
  members: [
    { personId: 'H1-1', name: '张三', relation: '户主', tags: [] },
    { personId: 'H1-2', name: '李四', relation: '配偶', tags: [] },
  ],
  tags: [],
  contentHash: 'x',
  updatedAt: '2026-11-01T00:00:00.000Z',
  version: 4,
  ...extra,
} as Household);
const visit = (extra: Partial<Visit> = {}): Visit => ({
  visitId: 'G202611-H1', householdId: 'H1', gridId: 'G001', communityId: 'C01', address: '1栋1单元101', colour: 'green',
  workerId: 'gw-G001-ft', dueDate: '2026-11-30', period: '202611', status: 'open', createdAt: '2026-11-01T00:00:00.000Z', ...extra,
});

const people: Record<string, Principal> = {
  gridWorker: { userId: 'gw-G001-ft', roles: ['grid_worker'], gridId: 'G001' },
  communityStaff: { userId: 'cs-C01', roles: ['community_staff'], communityId: 'C01' },
  streetStaff: { userId: 'ss-1', roles: ['street_staff'] },
  admin: { userId: 'admin-1', roles: ['admin'] },
};

describe('decideHouseholdChange', () => {
  for (const [who, p] of Object.entries(people)) {
    const mayRecolour = who !== 'gridWorker';
    it(`${who}: ${mayRecolour ? 'changes the colour, with history and figures' : 'may not change the colour (proposes by a visit log)'}; changes tags`, () => {
      const change = () => decideHouseholdChange(household(), { colour: 'red', reason: '老人独居' }, p, now);
      if (mayRecolour) {
        const d = change();
        expect(d.after).toMatchObject({ colour: 'red', colourReason: '老人独居', version: 5, updatedAt: now.toISOString() });
        expect(d.colourChange).toEqual({ from: 'green', to: 'red', reason: '老人独居', by: p.userId });
        expect(d.delta!.updates.map((u) => [u.dimension, u.value, u.adds])).toEqual([
          ['GRID', 'G001', { green: -1, red: 1 }],
          ['COMMUNITY', 'C01', { green: -1, red: 1 }],
          ['ALL', 'all', { green: -1, red: 1 }],
        ]);
      } else {
        expect(change).toThrow(expect.objectContaining({ code: 'COLOUR_NEEDS_COMMUNITY' }));
      }
      const tags = decideHouseholdChange(household(), { memberTags: [{ personId: 'H1-2', tags: ['elderly_alone'] as never }], reason: '核实' }, p, now);
      expect(tags.after.tags).toEqual(['elderly_alone']);
      expect([tags.colourChange, tags.delta]).toEqual([null, null]);
    });
  }

  it('the same colour again changes nothing in the history or the figures', () => {
    const d = decideHouseholdChange(household(), { colour: 'green', reason: '复核' }, people.communityStaff!, now);
    expect([d.colourChange, d.delta]).toEqual([null, null]);
  });

  it('a colour decision settles a pending proposal; a tag change leaves it waiting', () => {
    const pendingColour = { colour: 'red' as const, reason: '摔伤', visitId: 'V1', by: 'gw-G001-ft', at: '2026-11-29T00:00:00.000Z' };
    expect(decideHouseholdChange(household({ pendingColour }), { colour: 'yellow', reason: '确认' }, people.communityStaff!, now).after.pendingColour).toBeUndefined();
    expect(decideHouseholdChange(household({ pendingColour }), { memberTags: [], reason: '核实' }, people.gridWorker!, now).after.pendingColour).toEqual(pendingColour);
  });

  it('a member who is not in the household is a bad request naming the field', () => {
    expect(() => decideHouseholdChange(household(), { memberTags: [{ personId: 'H9-1', tags: [] }], reason: 'x' }, people.gridWorker!, now)).toThrow(expect.objectContaining({ code: 'PERSON_NOT_FOUND' }));
  });
});

describe('decideVisitLog', () => {
  const log = { notes: '一切正常', findings: [] };
  it('only a worker of the visit\'s grid, only once', () => {
    expect(() => decideVisitLog(visit(), log, { userId: 'gw-G002-ft', roles: ['grid_worker'], gridId: 'G002' }, null, now)).toThrow(expect.objectContaining({ code: 'OUT_OF_SCOPE' }));
    expect(() => decideVisitLog(visit(), log, people.communityStaff!, null, now)).toThrow(expect.objectContaining({ code: 'OUT_OF_SCOPE' }));
    expect(() => decideVisitLog(visit({ status: 'done' }), log, people.gridWorker!, null, now)).toThrow(expect.objectContaining({ code: 'ALREADY_LOGGED' }));
    expect(decideVisitLog(visit(), log, people.gridWorker!, null, now).done).toMatchObject({ status: 'done', log: { ...log, at: now.toISOString() } });
  });

  it('a proposed colour needs a reason, and waits on the household only when it differs', () => {
    expect(() => decideVisitLog(visit(), { ...log, proposedColour: 'red' }, people.gridWorker!, household(), now)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    const same = decideVisitLog(visit(), { ...log, proposedColour: 'green', proposedReason: '稳定' }, people.gridWorker!, household(), now);
    expect(same.householdAfter).toBeNull();
    const red = decideVisitLog(visit(), { ...log, proposedColour: 'red', proposedReason: '摔伤' }, people.gridWorker!, household(), now);
    expect(red.householdAfter).toMatchObject({ colour: 'green', version: 5, pendingColour: { colour: 'red', reason: '摔伤', visitId: 'G202611-H1', by: 'gw-G001-ft' } });
  });

  it('is late only when logged after the Beijing due day: 23:59:59 on the day is on time, 00:00 next day is late', () => {
    const lateOf = (at: string) => {
      const d = decideVisitLog(visit({ dueDate: '2026-11-30' }), log, people.gridWorker!, null, new Date(at));
      // The month row (of the Beijing month it was logged in: November, then December).
      return d.delta!.updates.find((u) => u.dimension === 'ALL' && /^\d{4}-\d{2}$/.test(u.period))!.adds;
    };
    expect(lateOf('2026-11-30T15:59:59.000Z')).toEqual({ done: 1 });
    expect(lateOf('2026-11-30T16:00:00.000Z')).toEqual({ done: 1, doneLate: 1 });
  });
});
