import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import { tokenAs } from '../fixtures/principals';
import { useTestStack } from '../support/stack';

/** The console's drill-down to one household: its colour, why, and what it was before. */
const t = useTestStack({ workers: false });

beforeAll(async () => {
  await seedDemoData();
});

describe('GET /v1/households/{householdId}', () => {
  it('shows the colour history newest first, with who changed it and why; numbers masked', async () => {
    const cs = await tokenAs('community_staff'); // C01
    const before = await t.call('GET', '/v1/households/H000001', { token: cs });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ householdId: 'H000001', gridId: 'G001', colour: 'red' });
    const imported = before.body.colourHistory.length;
    const changed = await t.call('PATCH', '/v1/households/H000001', { token: cs, body: { colour: 'yellow', reason: '老人已由子女接回同住，改为每周走访' } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const after = await t.call('GET', '/v1/households/H000001', { token: cs });
    expect(after.body.colour).toBe('yellow');
    expect(after.body.colourHistory).toHaveLength(imported + 1);
    expect(after.body.colourHistory[0]).toMatchObject({ from: 'red', to: 'yellow', fromName: expect.stringContaining('红'), toName: expect.stringContaining('黄'), reason: '老人已由子女接回同住，改为每周走访', by: 'cs-C01' });
    for (const m of after.body.members) expect(m.phoneMasked ?? '').not.toMatch(/^1\d{10}$/);
  });

  it('is not there for someone outside the household\'s grid or community', async () => {
    const other = await t.call('GET', '/v1/households/H000001', { token: await tokenAs('grid_worker', 'gw-G002-ft') });
    expect([other.status, other.body.error.code]).toEqual([404, 'HOUSEHOLD_NOT_FOUND']);
    expect((await t.call('GET', '/v1/households/NOPE0001', { token: await tokenAs('street_staff') })).status).toBe(404);
  });
});
