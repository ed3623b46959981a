import { describe, expect, it } from 'vitest';

import { routes } from '../../shared/routes';
import { api, useTestStack } from '../support/stack';

const t = useTestStack();

describe('GET /health', () => {
  it('reports the table and every queue reachable', async () => {
    const res = await api(t.stack.apiUrl, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.stage).toBe('test');
    expect(res.body.table.ok).toBe(true);
    expect(Object.keys(res.body.queues).sort()).toEqual(['dispatch', 'exports', 'imports', 'intake', 'notifications', 'signups']);
    for (const q of Object.values(res.body.queues) as { ok: boolean; depth: number }[]) {
      expect(q).toMatchObject({ ok: true, depth: 0 });
    }
  });

  it('answers with security headers and no cache', async () => {
    const res = await api(t.stack.apiUrl, 'GET', '/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('server')).toBeNull();
  });
});

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document with every route of the route table', async () => {
    const res = await api(t.stack.apiUrl, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const operations: string[] = [];
    for (const [path, methods] of Object.entries(res.body.paths as Record<string, Record<string, { operationId: string }>>)) {
      for (const [method, op] of Object.entries(methods)) operations.push(`${method.toUpperCase()} ${path} ${op.operationId}`);
    }
    expect(operations.sort()).toEqual(routes.map((r) => `${r.method} ${r.path} ${r.id}`).sort());
    expect(res.body.components.schemas.Error.properties.error.required).toEqual(['code', 'message', 'details']);
  });
});

describe('unknown routes', () => {
  it('answer 404 in the error contract', async () => {
    const res = await api(t.stack.apiUrl, 'GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: '请求的接口不存在', details: [] } });
  });
});
