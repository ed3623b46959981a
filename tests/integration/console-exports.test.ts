import { beforeAll, describe, expect, it } from 'vitest';

import { demoPersonalNumbers } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { buildExport } from '../../shared/console/exports';
import { householdTable, requestTable } from '../../shared/console/tables';
import { tokenAs } from '../fixtures/principals';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

/** Large exports through the real queue and consumer, into the local S3 stand-in. */
const t = useTestStack({ workers: true });

beforeAll(async () => {
  await seedDemoData();
});

/** The file as Excel reads it: the UTF-8 byte-order mark first, then the text. */
async function download(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return bytes.subarray(3).toString('utf8');
}

async function exportAndWait(token: string, body: Record<string, string>) {
  const started = await t.call('POST', '/v1/exports', { token, body });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.headers.get('location')).toBe(`/v1/exports/${started.body.exportId}`);
  expect(started.body.status).toBe('pending');
  let job = started.body;
  await waitFor(async () => {
    job = (await t.call('GET', started.headers.get('location')!, { token })).body;
    return job.status !== 'pending';
  }, 30_000, 'the export to be built');
  return job;
}

describe('POST /v1/exports', () => {
  it('builds the sub-district\'s household roster off the request path; the link gives an Excel-ready CSV, numbers masked', async () => {
    const street = await tokenAs('street_staff');
    const job = await exportAndWait(street, { kind: 'households' });
    expect(job).toMatchObject({ status: 'ready', kind: 'households', scope: 'street', rows: 256, error: null });
    expect(job.fileName).toMatch(/^住户-全街道-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await download(job.downloadUrl);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(householdTable.headers.join(','));
    expect(lines).toHaveLength(1 + 256);
    expect(text).toMatch(/1\d\d\*{4}\d{4}/);
    for (const n of demoPersonalNumbers()) expect(text.includes(n), 'a personal number in the clear').toBe(false);
  });

  it('exports the board of a community with the same rows as the API', async () => {
    const cs = await tokenAs('community_staff'); // C01
    const job = await exportAndWait(cs, { kind: 'requests' });
    expect(job).toMatchObject({ status: 'ready', scope: 'community:C01' });
    const lines = (await download(job.downloadUrl)).trimEnd().split('\r\n');
    expect(lines[0]).toBe(requestTable.headers.join(','));
    const board = await t.call('GET', '/v1/console/requests', { token: cs });
    expect(lines.length - 1).toBe(board.body.items.length);
  });

  it('is the requester\'s alone, within their scope, and built once however often the message comes', async () => {
    const cs = await tokenAs('community_staff');
    const job = await exportAndWait(cs, { kind: 'grids' });
    expect(job.rows).toBe(16); // C01's grids
    // Someone else's export does not exist for them.
    const other = await t.call('GET', `/v1/exports/${job.exportId}`, { token: await tokenAs('street_staff') });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('EXPORT_NOT_FOUND');
    // A redelivered message finds it built.
    expect(await buildExport(job.exportId)).toBe('already_built');
    // Out of scope, or a map for a single grid: refused at once, nothing queued.
    const wider = await t.call('POST', '/v1/exports', { token: cs, body: { kind: 'households', scope: 'community:C02' } });
    expect([wider.status, wider.body.error.code]).toEqual([403, 'OUT_OF_SCOPE']);
    const narrow = await t.call('POST', '/v1/exports', { token: await tokenAs('grid_worker'), body: { kind: 'grids' } });
    expect([narrow.status, narrow.body.error.code]).toEqual([403, 'SCOPE_TOO_NARROW']);
    const bad = await t.call('POST', '/v1/exports', { token: cs, body: { kind: 'everything' } });
    expect([bad.status, bad.body.error.details[0].field]).toEqual([400, 'body.kind']);
    expect((await t.call('POST', '/v1/exports', { token: await tokenAs('resident'), body: { kind: 'requests' } })).status).toBe(403);
  });
});
