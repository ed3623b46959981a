import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { demoRoster } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { createRosterImport, runRosterImport } from '../../shared/households/import-jobs';
import { getHouseholds } from '../../shared/households/repository';
import { tokenAs } from '../fixtures/principals';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * A roster import as a job (#18 item 4), end to end on the local stack: the file straight to the
 * bucket by presigned POST, 202 at once, the imports consumer checking and writing off the request
 * path, progress and faults read back through the API.
 */
const t = useTestStack({ workers: true });
let street = '';
let community = '';

beforeAll(async () => {
  await seedDemoData();
  street = await tokenAs('street_staff');
  community = await tokenAs('community_staff'); // C01: grids G001–G016
});

/** Creates the job, posts the file to the presigned form, as the console does. */
async function upload(token: string, file: Uint8Array<ArrayBuffer> | string, fileName = '花名册.csv') {
  const created = await t.call('POST', '/v1/imports', { token, body: { fileName } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const form = new FormData();
  for (const [k, v] of Object.entries(created.body.upload.fields as Record<string, string>)) form.append(k, v);
  form.append('file', new Blob([file], { type: 'text/csv' }), fileName);
  const posted = await fetch(created.body.upload.url, { method: 'POST', body: form });
  expect(posted.status).toBeLessThan(300);
  return created.body;
}

async function importAndWait(token: string, file: Uint8Array<ArrayBuffer> | string) {
  const job = await upload(token, file);
  const started = await t.call('POST', `/v1/imports/${job.importId}/start`, { token });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.headers.get('location')).toBe(`/v1/imports/${job.importId}`);
  let view = started.body;
  await waitFor(async () => {
    view = (await t.call('GET', `/v1/imports/${job.importId}`, { token })).body;
    return view.status === 'done' || view.status === 'failed';
  }, 60_000, 'the import to finish');
  return view;
}

const householdIds = (csv: string) => [...new Set(csv.trim().split('\n').slice(1).map((l) => l.split(',')[0]!))];

describe('POST /v1/imports: a roster import as a job', () => {
  it('answers at once with an upload form for the file; the job waits for its file', async () => {
    const job = await upload(street, demoRoster(2, { prefix: 'JA', grids: 1 }));
    expect(job).toMatchObject({ status: 'awaiting_upload', fileName: '花名册.csv', rows: null, written: 0, errorCount: 0, errors: [] });
    expect(job.importId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(job.upload.maxBytes).toBe(30 * 1024 * 1024);
    expect(job.upload.fields.key).toBe(`imports/street-1/${job.importId}.csv`);
  });

  it('checks every row, writes the households that changed, and counts them; the same file again writes nothing', async () => {
    const csv = demoRoster(120, { prefix: 'JB', grids: 3 });
    const done = await importAndWait(street, csv);
    expect(done).toMatchObject({ status: 'done', rows: 360, households: 120, toWrite: 120, written: 120, created: 120, updated: 0, unchanged: 0, errorCount: 0, errors: [] });
    expect(done.message).toBe('导入完成：共 120 户、360 人；新增 120 户，更新 0 户，0 户没有变化');
    expect(done.startedAt <= done.finishedAt).toBe(true);
    expect((await getHouseholds(householdIds(csv))).size).toBe(120);

    const again = await importAndWait(street, csv);
    expect(again).toMatchObject({ status: 'done', households: 120, toWrite: 0, written: 0, created: 0, updated: 0, unchanged: 120 });

    // The importer's list, newest first: what each job found and wrote.
    const mine = await t.call('GET', '/v1/imports', { token: street });
    expect(mine.body.items.slice(0, 2).map((i: { importId: string; status: string; written: number; created: number; unchanged: number }) => [i.importId, i.status, i.written, i.created, i.unchanged])).toEqual([
      [again.importId, 'done', 0, 0, 120],
      [done.importId, 'done', 120, 120, 0],
    ]);
    expect(mine.body.items[0].errors).toBeUndefined();

    // One household moved to red: one updated, the rest unchanged.
    const changed = csv.replace(/^(JB000002,G002,[^,]+,[^,]+,)绿,/gm, '$1红,独居老人，慢性病');
    expect(changed).not.toBe(csv);
    const third = await importAndWait(street, changed);
    expect(third).toMatchObject({ status: 'done', toWrite: 1, written: 1, created: 0, updated: 1, unchanged: 119 });
    expect((await getHouseholds(['JB000002'])).get('JB000002')!.colour).toBe('red');
  });

  it('a file with faults writes nothing and names every fault by line and column', async () => {
    const lines = demoRoster(4, { prefix: 'JC', grids: 1 }).trim().split('\n');
    lines[2] = lines[2]!.replace(/,\d{17}[\dX],/, ',110101199001011230,'); // a wrong check character
    for (const i of [4, 5, 6]) lines[i] = lines[i]!.replace(',G001,', ',G999,'); // the second household, lines 5–7
    const failed = await importAndWait(street, lines.join('\n') + '\n');
    expect(failed).toMatchObject({ status: 'failed', written: 0, errorCount: 2, message: '花名册有 2 处错误，未导入任何数据，请修改后重新上传' });
    expect(failed.errors).toEqual([
      { field: 'line 3.id_number', reason: 'custom', message: '身份证号码不正确（18 位，校验位不符）' },
      { field: 'line 5.grid_id', reason: 'not_found', message: '网格 G999 不存在' },
    ]);
    expect((await getHouseholds(householdIds(lines.join('\n')))).size).toBe(0);
  });

  it('a community\'s staff import only their own grids', async () => {
    const failed = await importAndWait(community, demoRoster(2, { prefix: 'JD', grids: 1 }).replaceAll(',G001,', ',G017,'));
    expect(failed).toMatchObject({ status: 'failed', errorCount: 2 });
    expect(failed.errors[0]).toEqual({ field: 'line 2.grid_id', reason: 'out_of_scope', message: '网格 G017 不属于您的社区' });
    const own = await importAndWait(community, demoRoster(2, { prefix: 'JE', grids: 1 }));
    expect(own).toMatchObject({ status: 'done', created: 2 });
  });

  it('reads a file Excel saved in GB18030 as it reads UTF-8', async () => {
    const csv = demoRoster(3, { prefix: 'JF', grids: 1 });
    // Encoded as a Chinese Windows' Excel saves "CSV": each Chinese character in two bytes.
    const encoded = encodeGb18030(csv);
    expect(encoded.length).toBeLessThan(new TextEncoder().encode(csv).length);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(encoded)).toThrow();
    const done = await importAndWait(street, encoded);
    expect(done).toMatchObject({ status: 'done', created: 3 });
    const h = (await getHouseholds(['JF000001'])).get('JF000001')!;
    expect(h.address).toBe(csv.split('\n')[1]!.split(',')[2]);
  });

  it('starting twice queues once; a file not uploaded, a bad name and another person\'s job are refused with what to do', async () => {
    const job = await upload(street, demoRoster(5, { prefix: 'JG', grids: 1 }));
    const [a, b] = await Promise.all([
      t.call('POST', `/v1/imports/${job.importId}/start`, { token: street }),
      t.call('POST', `/v1/imports/${job.importId}/start`, { token: street }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    let view = a.body;
    await waitFor(async () => {
      view = (await t.call('GET', `/v1/imports/${job.importId}`, { token: street })).body;
      return view.status === 'done';
    }, 30_000, 'the import');
    expect(view).toMatchObject({ written: 5, created: 5 });
    // Started again when done: the job as it stands.
    const late = await t.call('POST', `/v1/imports/${job.importId}/start`, { token: street });
    expect([late.status, late.body.status]).toEqual([202, 'done']);

    const empty = await t.call('POST', '/v1/imports', { token: street, body: { fileName: '花名册.csv' } });
    const notThere = await t.call('POST', `/v1/imports/${empty.body.importId}/start`, { token: street });
    expect([notThere.status, notThere.body.error.code, notThere.body.error.message]).toEqual([409, 'IMPORT_NOT_UPLOADED', '文件还没有上传成功，请重新选择文件上传']);
    const bad = await t.call('POST', '/v1/imports', { token: street, body: { fileName: '' } });
    expect([bad.status, bad.body.error.details[0]]).toEqual([400, { field: 'body.fileName', reason: 'too_small', message: '请选择文件' }]);
    const others = await t.call('GET', `/v1/imports/${job.importId}`, { token: await tokenAs('admin') });
    expect([others.status, others.body.error.code]).toEqual([404, 'IMPORT_NOT_FOUND']);
  });
});

describe('an import whose file is gone', () => {
  it('ends failed, saying so, instead of being retried until the queue gives up', async () => {
    const job = await createRosterImport({ userId: 'street-1', roles: ['street_staff'] }, '花名册.csv');
    // Queued without its file (as if it had expired between the start and the run).
    await ddb().send(new UpdateCommand({ TableName: config().TABLE_NAME, Key: keys.rosterImport(job.importId), UpdateExpression: 'SET #s = :q', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':q': 'queued' } }));
    expect(await runRosterImport(job.importId)).toBe('failed');
    const view = await t.call('GET', `/v1/imports/${job.importId}`, { token: street });
    expect(view.body).toMatchObject({ status: 'failed', written: 0, errorCount: 0, message: '找不到上传的文件（文件保留七天），请重新选择文件上传' });
    // A redelivery finds it finished.
    expect(await runRosterImport(job.importId)).toBe('skipped');
  });
});

/** GB18030 bytes of a text (Node decodes GB18030 but does not encode it): from a decode table of the characters used. */
function encodeGb18030(text: string): Uint8Array<ArrayBuffer> {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  const wanted = new Set([...text].filter((c) => c.charCodeAt(0) > 0x7f));
  for (let hi = 0x81; hi <= 0xfe && table.size < wanted.size; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const c = decoder.decode(new Uint8Array([hi, lo]));
      if (wanted.has(c) && !table.has(c)) table.set(c, [hi, lo]);
    }
  }
  const out: number[] = [];
  for (const c of text) {
    if (c.charCodeAt(0) <= 0x7f) out.push(c.charCodeAt(0));
    else {
      const bytes = table.get(c);
      if (!bytes) throw new Error(`no GB18030 two-byte code for ${c}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}
