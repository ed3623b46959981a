import { randomBytes } from 'node:crypto';

import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as z from 'zod';

import { ensureTable, localDynamoClient } from '../../infra/local/provision';
import { httpEvent, lambdaContext,offlineEnv } from '../fixtures/events';

// No queues or bucket: the pipeline alone. The token check reads the (cached) list of revoked
// sessions, so the table is a real one on the run's DynamoDB Local.
Object.assign(process.env, offlineEnv, { TABLE_NAME: `pipeline-${randomBytes(4).toString('hex')}`, DYNAMODB_ENDPOINT: inject('dynamoEndpoint') });
const { httpHandler } = await import('../../shared/http/pipeline');
const { route } = await import('../../shared/http/route');
const { issueToken } = await import('../../shared/auth/tokens');
const { AppError } = await import('../../shared/errors');

const echoRoute = route({
  id: 'echo',
  method: 'POST',
  path: '/v1/echo/{id}',
  handler: 'n/a',
  summary: 'echo',
  tag: 'test',
  access: ['grid_worker'],
  params: z.object({ id: z.string().regex(/^E\d+$/) }),
  body: z.object({ name: z.string().min(2), age: z.number().int().min(0) }),
  response: z.object({ id: z.string(), name: z.string(), by: z.string() }),
  status: 201,
});

let calls = 0;
const handler = httpHandler(echoRoute, async ({ params, body, principal }) => {
  calls++;
  if (body.name === 'boom') throw new Error('database password is hunter2');
  if (body.name === 'conflict') throw new AppError('ALREADY_DONE', 409, '已经处理过了');
  return { id: params.id, name: body.name, by: principal.userId };
});

let workerToken = '';
let residentToken = '';
beforeAll(async () => {
  const client = localDynamoClient(process.env.DYNAMODB_ENDPOINT!);
  await ensureTable(client, process.env.TABLE_NAME!);
  client.destroy();
  workerToken = (await issueToken({ userId: 'gw-1', roles: ['grid_worker'], gridId: 'G001' })).token;
  residentToken = (await issueToken({ userId: 'r-1', roles: ['resident'] })).token;
});

function call(opts: { body?: string; token?: string; contentType?: string; id?: string }) {
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return handler(httpEvent({ method: 'POST', path: '/v1/echo/x', headers, body: opts.body, params: { id: opts.id ?? 'E1' } }), lambdaContext);
}
const parse = (r: { body?: string }) => JSON.parse(r.body ?? '');

describe('the HTTP handler pipeline', () => {
  it('runs the route with parsed params, body and principal', async () => {
    const res = await call({ token: workerToken, body: JSON.stringify({ name: '王秀英', age: 70 }) });
    expect(res.statusCode).toBe(201);
    expect(parse(res)).toEqual({ id: 'E1', name: '王秀英', by: 'gw-1' });
    expect(res.headers?.['content-type']).toBe('application/json; charset=utf-8');
  });

  it('names every invalid field in Chinese with a stable code', async () => {
    const res = await call({ token: workerToken, id: 'bad', body: JSON.stringify({ name: 'x', age: -1 }) });
    expect(res.statusCode).toBe(400);
    const { error } = parse(res);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('提交的内容有误，请检查标出的项目');
    expect(error.details.map((d: { field: string }) => d.field)).toEqual(['params.id']);
  });

  it('reports body fields when params are valid', async () => {
    const res = await call({ token: workerToken, body: JSON.stringify({ name: 'x', age: -1 }) });
    const { error } = parse(res);
    expect(error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`)).toEqual([
      'body.name:too_small',
      'body.age:too_small',
    ]);
    expect(error.details[0].message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('refuses malformed JSON, wrong content type and oversized bodies', async () => {
    const malformed = await call({ token: workerToken, body: '{"name":' });
    expect(malformed.statusCode).toBe(400);
    expect(parse(malformed).error.code).toBe('MALFORMED_JSON');
    const wrongType = await call({ token: workerToken, body: 'name=x', contentType: 'application/x-www-form-urlencoded' });
    expect(wrongType.statusCode).toBe(415);
    expect(parse(wrongType).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await call({ token: workerToken, body: JSON.stringify({ name: 'x'.repeat(2000), age: 1 }) });
    expect(big.statusCode).toBe(413);
    expect(parse(big).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a missing token with 401 and a wrong role with 403, before running the route', async () => {
    const before = calls;
    const anonymous = await call({ body: JSON.stringify({ name: '王秀英', age: 70 }) });
    expect(anonymous.statusCode).toBe(401);
    expect(parse(anonymous).error.code).toBe('UNAUTHENTICATED');
    const resident = await call({ token: residentToken, body: JSON.stringify({ name: '王秀英', age: 70 }) });
    expect(resident.statusCode).toBe(403);
    expect(parse(resident).error.code).toBe('FORBIDDEN');
    expect(calls).toBe(before);
  });

  it('passes AppErrors through and hides internal faults', async () => {
    const conflict = await call({ token: workerToken, body: JSON.stringify({ name: 'conflict', age: 1 }) });
    expect(conflict.statusCode).toBe(409);
    expect(parse(conflict)).toEqual({ error: { code: 'ALREADY_DONE', message: '已经处理过了', details: [] } });
    const boom = await call({ token: workerToken, body: JSON.stringify({ name: 'boom', age: 1 }) });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('hunter2');
    expect(parse(boom)).toEqual({ error: { code: 'INTERNAL', message: '系统出了点问题，请稍后再试', details: [] } });
  });
});
