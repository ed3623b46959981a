import * as z from 'zod';

import type { RouteDefinition } from './http/route';
import { errorBodySchema } from './schemas/common';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  // draft-2020-12 is the JSON Schema dialect of OpenAPI 3.1.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: s,
  }));
}

const errorResponses: Record<string, string> = {
  '400': '输入有误（字段见 details）',
  '401': '未登录或登录已失效',
  '403': '无权限',
  '404': '不存在',
  '409': '冲突（重复或状态已变化）',
  '413': '内容过大',
  '500': '系统错误',
};

/** OpenAPI 3.1 generated from the route table; nothing here is written by hand per route. */
export function buildOpenApi(routes: readonly RouteDefinition[], opts: { serverUrl?: string } = {}): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const op: Json = {
      operationId: r.id,
      summary: r.summary,
      tags: [r.tag],
      'x-access': r.access,
      parameters: [
        ...parametersOf(r.params, 'path'),
        ...parametersOf(r.query, 'query'),
        ...(r.idempotent
          ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 } }]
          : []),
      ],
      responses: {
        [String(r.status)]: {
          description: 'OK',
          ...(r.status === 204 ? {} : { content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } }),
        },
        ...Object.fromEntries(
          Object.entries(errorResponses).map(([code, description]) => [
            code,
            { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          ]),
        ),
      },
    };
    if (r.access !== 'public') op.security = [{ bearer: [] }];
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: '安置区居民自助服务 API', version: '1.0.0' },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBodySchema, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
