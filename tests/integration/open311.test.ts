import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { getRequest } from '../../shared/requests/repository';
import { routeRequest, submitRequest } from '../../shared/requests/use-cases';
import { tokenAs } from '../fixtures/principals';
import { legalAid } from '../fixtures/requests';
import { useTestStack } from '../support/stack';

/**
 * Open311 GeoReport v2 as the specification's text has it (https://wiki.open311.org/GeoReport_v2):
 * every endpoint in both formats (the XML parsed with a real parser and compared with the JSON),
 * the form encoding with multi-value attributes, the token that becomes an id once routed, the
 * list's filters and window, each error, the keys, and the privacy rules.
 */
const t = useTestStack({ workers: false });
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'attribute', 'value', 'error', 'endpoint', 'format', 'request_update'].includes(name) });
const form = (fields: [string, string][]) => ({ rawBody: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
let admin = '';
let hotlineKey = '';
let otherKey = '';
let hotlineKeyId = '';

const ticket = (key: string, extra: [string, string][] = []): [string, string][] => [
  ['api_key', key],
  ['service_code', 'livelihood'],
  ['address_string', '安置区3栋2单元101室'],
  ['description', '12345 来电：楼道灯坏了一周，老人晚上下楼看不见'],
  ['last_name', '李'],
  ['first_name', '桂兰'],
  ['phone', '13812345678'],
  ['attribute[category]', 'power'],
  ['attribute[location]', '3栋2单元'],
  ['attribute[urgent]', 'true'],
  ...extra,
];

beforeAll(async () => {
  await seedDemoData();
  admin = await tokenAs('admin');
  const k1 = await t.call('POST', '/v1/admin/open311-keys', { token: admin, body: { partner: '县 12345 政务服务便民热线', kind: 'hotline_12345', perMinute: 100 } });
  expect(k1.status, JSON.stringify(k1.body)).toBe(201);
  hotlineKey = k1.body.apiKey;
  hotlineKeyId = k1.body.keyId;
  otherKey = (await t.call('POST', '/v1/admin/open311-keys', { token: admin, body: { partner: '就业服务 App' } })).body.apiKey;
});

describe('discovery and services', () => {
  it('discovery names the specification, this endpoint and both formats, in JSON and XML alike', async () => {
    const json = await t.call('GET', '/open311/v2/discovery.json');
    expect(json.status).toBe(200);
    expect(json.body.endpoints).toEqual([{ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${t.stack.apiUrl}/open311/v2`, changeset: json.body.changeset, type: 'production', formats: ['application/json', 'text/xml'] }]);
    const x = await t.call('GET', '/open311/v2/discovery.xml');
    expect(x.headers.get('content-type')).toMatch(/^text\/xml/);
    const parsed = xml.parse(x.body as string).discovery;
    expect(parsed.endpoints.endpoint[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production' });
    expect(parsed.endpoints.endpoint[0].formats.format).toEqual(['application/json', 'text/xml']);
  });

  it('services: the catalogue without its private types; the XML holds the same services', async () => {
    const json = await t.call('GET', '/open311/v2/services.json');
    expect(json.body.map((s: { service_code: string }) => s.service_code)).toEqual(['livelihood', 'employment_help', 'other']);
    expect(json.body[0]).toEqual({ service_code: 'livelihood', service_name: '民生诉求', description: expect.any(String), metadata: true, type: 'realtime', keywords: '民生服务,民生诉求', group: '民生服务' });
    const parsed = xml.parse((await t.call('GET', '/open311/v2/services.xml')).body as string).services.service;
    expect(parsed.map((s: Record<string, string>) => [s.service_code, s.service_name, s.metadata, s.type, s.group])).toEqual(json.body.map((s: Record<string, unknown>) => [s.service_code, s.service_name, String(s.metadata), s.type, s.group]));
  });

  it('a service definition: attributes with datatype, required, order and values (是/否 for a yes-or-no field)', async () => {
    const json = await t.call('GET', '/open311/v2/services/livelihood.json');
    expect(json.body.service_code).toBe('livelihood');
    expect(json.body.attributes.map((a: Record<string, unknown>) => [a.code, a.datatype, a.required, a.order])).toEqual([
      ['category', 'singlevaluelist', true, 1],
      ['location', 'string', true, 2],
      ['urgent', 'singlevaluelist', false, 3],
    ]);
    expect(json.body.attributes[2].values).toEqual([{ key: 'true', name: '是' }, { key: 'false', name: '否' }]);
    const x = xml.parse((await t.call('GET', '/open311/v2/services/employment_help.xml')).body as string).service_definition;
    expect(x.attributes.attribute[0]).toMatchObject({ code: 'need', datatype: 'multivaluelist', required: 'true', variable: 'true' });
    expect(x.attributes.attribute[0].values.value.map((v: { key: string }) => v.key)).toEqual(['job', 'training', 'welfare_post', 'transfer']);
  });

  it('a private or unknown service is 404 as [{code, description}], in the format asked', async () => {
    for (const code of ['legal_aid', 'dispute_mediation', 'nope']) {
      const r = await t.call('GET', `/open311/v2/services/${code}.json`);
      expect([r.status, r.body[0].code]).toEqual([404, 404]);
      expect(r.body[0].description).toContain(code);
    }
    // One jurisdiction here: ours is accepted, another is not found.
    expect((await t.call('GET', '/open311/v2/services.json?jurisdiction_id=anzhi.xincheng')).status).toBe(200);
    const elsewhere = await t.call('GET', '/open311/v2/services.json?jurisdiction_id=somewhere.else');
    expect([elsewhere.status, elsewhere.body[0].code]).toEqual([404, 404]);
    const x = await t.call('GET', '/open311/v2/services/nope.xml');
    expect(x.status).toBe(404);
    expect(xml.parse(x.body as string).errors.error[0]).toMatchObject({ code: '404' });
  });
});

describe('filing a request and following it', () => {
  it('POST: form-encoded with attributes, answered with a token; the id once routed; the channel on the timeline', async () => {
    const posted = await t.call('POST', '/open311/v2/requests.json', form(ticket(hotlineKey)));
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body).toEqual([{ token: expect.stringMatching(/^[\w-]{16}$/), service_notice: expect.any(String), account_id: null }]);
    const token = posted.body[0].token as string;
    // Routing is asynchronous: until then the token has no id.
    expect((await t.call('GET', `/open311/v2/tokens/${token}.json`)).body).toEqual([{ token }]);
    const pending = (await t.call('GET', `/open311/v2/tokens/${token}.xml`)).body as string;
    expect(xml.parse(pending).service_requests.request[0]).toEqual({ token });

    const { requestId } = await findByToken(token);
    expect(await routeRequest(requestId)).toBe('assigned');
    expect((await t.call('GET', `/open311/v2/tokens/${token}.json`)).body).toEqual([{ service_request_id: requestId, token }]);

    const r = (await getRequest(requestId, true))!;
    expect(r).toMatchObject({ typeCode: 'livelihood', requesterId: `partner-${hotlineKeyId}`, fields: { category: 'power', location: '3栋2单元', urgent: true }, channel: { kind: 'hotline_12345', partner: '县 12345 政务服务便民热线' }, level: 'street' });
    expect(r.partnerContact).toMatchObject({ name: '李桂兰', phoneMasked: '138****5678' });
    expect(JSON.stringify(r.partnerContact)).not.toContain('13812345678');
    // The staff see where it came from.
    const street = await tokenAs('street_staff');
    const staff = await t.call('GET', `/v1/requests/${requestId}`, { token: street });
    expect(staff.body.timeline[0].text).toBe('12345 热线转来，正在分派给负责的工作人员');
    expect(staff.body.filedBy).toEqual({ channel: '12345 热线', callerName: '李桂兰', callerPhoneMasked: '138****5678' });
    // Calling back: the number through the audited reveal, for those handling it — not a grid worker elsewhere.
    const reveal = (token: string) => t.call('POST', `/v1/users/partner-${hotlineKeyId}/contact-reveals`, { token, body: { field: 'phone', reason: `办理诉求 ${requestId}`, requestId } });
    expect((await reveal(street)).body).toEqual({ userId: `partner-${hotlineKeyId}`, field: 'phone', value: '13812345678' });
    expect((await reveal(await tokenAs('grid_worker'))).status).toBe(403);
    const audit = await ddb().send(
      new QueryCommand({ TableName: config().TABLE_NAME, IndexName: 'byLookup', KeyConditionExpression: 'lookupPk = :pk', ExpressionAttributeValues: { ':pk': keys.auditByTargetPartition('request', requestId) } }),
    );
    expect(audit.Items?.filter((i) => i.action === 'pii.reveal').map((i) => [i.actorId, (i.detail as { caller: string }).caller])).toEqual([['street-1', `partner-${hotlineKeyId}`]]);
  });

  it('address_id naming a household on the roster routes it to that grid; a multi-value attribute arrives as a list', async () => {
    const posted = await t.call('POST', '/open311/v2/requests.xml', form([
      ['api_key', otherKey],
      ['service_code', 'employment_help'],
      ['address_id', 'H000001'],
      ['description', '想找附近的扶贫车间工作，也想学电焊'],
      ['attribute[need][]', 'job'],
      ['attribute[need][]', 'training'],
    ]));
    expect(posted.status, String(posted.body)).toBe(201);
    const token = xml.parse(posted.body as string).service_requests.request[0].token as string;
    const { requestId } = await findByToken(token);
    await routeRequest(requestId);
    expect(await getRequest(requestId, true)).toMatchObject({ fields: { need: ['job', 'training'] }, level: 'grid', gridId: 'G001', channel: { kind: 'partner', partner: '就业服务 App' } });
  });

  it('the same ticket filed twice (a retry after a timeout) is one request', async () => {
    const body = ticket(otherKey, [['description', '重复提交测试：小区路灯不亮，晚上很黑']]);
    const a = await t.call('POST', '/open311/v2/requests.json', form(body));
    const b = await t.call('POST', '/open311/v2/requests.json', form(body));
    expect([a.status, b.status]).toEqual([201, 201]);
    // The retry is answered with the first filing's token: one request.
    expect(b.body[0].token).toBe(a.body[0].token);
    const { requestId } = await findByToken(a.body[0].token);
    expect((await getRequest(requestId, true))!.description).toBe('重复提交测试：小区路灯不亮，晚上很黑');
  });

  it('errors as the specification says: 403 for a missing, wrong or revoked key; 404 for a service not offered; 400 naming the field', async () => {
    const noKey = await t.call('POST', '/open311/v2/requests.json', form(ticket('').filter(([k]) => k !== 'api_key')));
    expect([noKey.status, noKey.body[0].code]).toEqual([403, 403]);
    const wrong = await t.call('POST', '/open311/v2/requests.json', form(ticket('o311_nope')));
    expect([wrong.status, wrong.body[0].code]).toEqual([403, 403]);
    const legal = await t.call('POST', '/open311/v2/requests.json', form([...ticket(hotlineKey).filter(([k]) => k !== 'service_code'), ['service_code', 'legal_aid']]));
    expect([legal.status, legal.body[0].code]).toEqual([404, 404]);
    const missing = await t.call('POST', '/open311/v2/requests.json', form(ticket(hotlineKey).filter(([k]) => k !== 'attribute[location]')));
    expect([missing.status, missing.body[0].code]).toEqual([400, 400]);
    expect(missing.body[0].description).toContain('attribute[location]');
    const nowhere = await t.call('POST', '/open311/v2/requests.json', form(ticket(hotlineKey).filter(([k]) => k !== 'address_string')));
    expect([nowhere.status, nowhere.body[0].description]).toEqual([400, expect.stringContaining('address_string')]);
    const notForm = await t.call('POST', '/open311/v2/requests.xml', { body: { api_key: hotlineKey } });
    expect(notForm.status).toBe(400);
    expect(xml.parse(notForm.body as string).errors.error[0].code).toBe('400');

    // Revoked by the admin: refused from then on.
    const k = await t.call('POST', '/v1/admin/open311-keys', { token: admin, body: { partner: '试用合作方' } });
    expect((await t.call('POST', '/open311/v2/requests.json', form(ticket(k.body.apiKey)))).status).toBe(201);
    expect((await t.call('DELETE', `/v1/admin/open311-keys/${k.body.keyId}`, { token: admin })).body).toMatchObject({ status: 'revoked' });
    expect((await t.call('POST', '/open311/v2/requests.json', form(ticket(k.body.apiKey)))).status).toBe(403);
  });

  it('a key past its rate limit is refused with 429 in the same error form', async () => {
    const k = await t.call('POST', '/v1/admin/open311-keys', { token: admin, body: { partner: '限流测试', perMinute: 2 } });
    const calls = [];
    for (let i = 0; i < 3; i++) calls.push((await t.call('GET', `/open311/v2/requests.json?api_key=${encodeURIComponent(k.body.apiKey)}`)).status);
    expect(calls).toEqual([200, 200, 429]);
  });
});

describe('the list and one request', () => {
  it('public: no words, no names, no phone, no exact address — only the grid and community; the filing partner sees its own', async () => {
    const posted = await t.call('POST', '/open311/v2/requests.json', form(ticket(hotlineKey, [['description', '公开列表测试：二单元门口积水']])));
    const { requestId } = await findByToken(posted.body[0].token);
    await routeRequest(requestId);
    const pub = await t.call('GET', `/open311/v2/requests/${requestId}.json`);
    expect(pub.body).toEqual([
      {
        service_request_id: requestId,
        status: 'open',
        status_notes: '已分派，待受理',
        service_name: '民生诉求',
        service_code: 'livelihood',
        agency_responsible: '街道',
        requested_datetime: expect.any(String),
        updated_datetime: expect.any(String),
        expected_datetime: expect.any(String),
        address: '',
        lat: null,
        long: null,
        media_url: null,
      },
    ]);
    const text = JSON.stringify((await t.call('GET', '/open311/v2/requests.json')).body);
    for (const secret of ['李桂兰', '13812345678', '138****5678', '安置区3栋2单元101室', '积水']) expect(text).not.toContain(secret);
    // Another partner's key sees the public fields only; the filing partner's sees its words and contact.
    expect((await t.call('GET', `/open311/v2/requests/${requestId}.json?api_key=${encodeURIComponent(otherKey)}`)).body[0].description).toBeUndefined();
    const own = (await t.call('GET', `/open311/v2/requests/${requestId}.json?api_key=${encodeURIComponent(hotlineKey)}`)).body[0];
    expect(own).toMatchObject({ description: '公开列表测试：二单元门口积水', address: '安置区3栋2单元101室', contact_name: '李桂兰', contact_phone: '13812345678', channel: '县 12345 政务服务便民热线' });
  });

  it('never lists a private type, even one the list window holds', async () => {
    const q = await submitRequest({ userId: 'resident-1', roles: ['resident'] }, legalAid, undefined);
    await routeRequest(q.requestId);
    const all = (await t.call('GET', '/open311/v2/requests.json')).body as { service_request_id: string; service_code: string }[];
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((r) => r.service_request_id)).not.toContain(q.requestId);
    expect(new Set(all.map((r) => r.service_code))).toEqual(new Set(['livelihood', 'employment_help']));
    expect((await t.call('GET', `/open311/v2/requests/${q.requestId}.json`)).status).toBe(404);
  });

  it('filters: ids, service_code, status, the window (90 days at most), page and page_size; XML parses to the same list', async () => {
    const all = (await t.call('GET', '/open311/v2/requests.json')).body as { service_request_id: string; service_code: string; status: string; requested_datetime: string }[];
    expect(all.map((r) => r.requested_datetime)).toEqual([...all.map((r) => r.requested_datetime)].sort().reverse());
    const x = xml.parse((await t.call('GET', '/open311/v2/requests.xml')).body as string).service_requests.request;
    expect(x.map((r: { service_request_id: string }) => r.service_request_id)).toEqual(all.map((r) => r.service_request_id));

    const two = all.slice(0, 2).map((r) => r.service_request_id);
    expect(((await t.call('GET', `/open311/v2/requests.json?service_request_id=${two.join(',')}&service_code=other`)).body as { service_request_id: string }[]).map((r) => r.service_request_id).sort()).toEqual([...two].sort());
    const employment = (await t.call('GET', '/open311/v2/requests.json?service_code=employment_help')).body as { service_code: string }[];
    expect(employment.length).toBe(all.filter((r) => r.service_code === 'employment_help').length);
    expect((await t.call('GET', '/open311/v2/requests.json?status=closed')).body).toEqual(all.filter((r) => r.status === 'closed'));
    expect((await t.call('GET', '/open311/v2/requests.json?page=2&page_size=2')).body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual(all.slice(2, 4).map((r) => r.service_request_id));
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await t.call('GET', `/open311/v2/requests.json?start_date=${future}&end_date=${new Date(Date.now() + 2 * 86_400_000).toISOString()}`)).body).toEqual([]);
    const tooLong = await t.call('GET', `/open311/v2/requests.json?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-06-01T00:00:00%2B08:00`);
    expect([tooLong.status, tooLong.body[0].code]).toEqual([400, 400]);
  });

  it('servicerequestupdates: the filing partner follows its requests’ timelines; without a key, 403', async () => {
    const posted = await t.call('POST', '/open311/v2/requests.json', form(ticket(hotlineKey, [['description', '进度跟踪测试：5栋电梯停运']])));
    const { requestId } = await findByToken(posted.body[0].token);
    await routeRequest(requestId);
    const updates = (await t.call('GET', `/open311/v2/servicerequestupdates.json?api_key=${encodeURIComponent(hotlineKey)}&service_request_id=${requestId}`)).body;
    expect(updates.map((u: Record<string, unknown>) => [u.update_id, u.service_request_id, u.status])).toEqual([
      [`${requestId}-1`, requestId, 'open'],
      [`${requestId}-2`, requestId, 'open'],
    ]);
    expect(updates[0].description).toBe('12345 热线转来，正在分派给负责的工作人员');
    const x = xml.parse((await t.call('GET', `/open311/v2/servicerequestupdates.xml?api_key=${encodeURIComponent(hotlineKey)}`)).body as string).service_request_updates.request_update;
    expect(x.map((u: { update_id: string }) => u.update_id)).toEqual(expect.arrayContaining([`${requestId}-1`, `${requestId}-2`]));
    expect((await t.call('GET', `/open311/v2/servicerequestupdates.json?api_key=${encodeURIComponent(otherKey)}&service_request_id=${requestId}`)).status).toBe(404);
    expect((await t.call('GET', '/open311/v2/servicerequestupdates.json')).status).toBe(403);
  });
});

describe('the admin’s keys', () => {
  it('the key is shown once; the list never shows it; only the admin may issue, list or revoke', async () => {
    const list = await t.call('GET', '/v1/admin/open311-keys', { token: admin });
    expect(list.body.items.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(list.body)).not.toContain(hotlineKey);
    expect(list.body.items.find((k: { keyId: string }) => k.keyId === hotlineKeyId)).toMatchObject({ partner: '县 12345 政务服务便民热线', kind: 'hotline_12345', status: 'active', prefix: hotlineKey.slice(0, 16) });
    const street = await tokenAs('street_staff');
    expect((await t.call('GET', '/v1/admin/open311-keys', { token: street })).status).toBe(403);
    expect((await t.call('POST', '/v1/admin/open311-keys', { token: street, body: { partner: '冒充' } })).status).toBe(403);
    expect((await t.call('DELETE', `/v1/admin/open311-keys/${hotlineKeyId}`, { token: street })).status).toBe(403);
  });
});

/** The request a token names (what tokens/{token} reads), straight from the table. */
async function findByToken(token: string): Promise<{ requestId: string }> {
  const { getOpen311Token } = await import('../../shared/requests/repository');
  const found = await getOpen311Token(token);
  if (!found) throw new Error('no such token');
  return { requestId: found.requestId };
}

describe('figures', () => {
  it('the month counts requests by channel (12345 hotline, partners), and the recount agrees', async () => {
    const { recount } = await import('../../infra/ops/recount-figures');
    expect((await recount()).disagreements).toEqual([]);
    const o = await t.call('GET', '/v1/console/overview', { token: await tokenAs('street_staff') });
    // Routed so far in this file: three from the hotline, one from the employment app (the
    // duplicate-filing test's request and the revoked key's were never routed).
    expect([o.body.requests.month.viaHotline, o.body.requests.month.viaPartner]).toEqual([3, 1]);
  });
});
