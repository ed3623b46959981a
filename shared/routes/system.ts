import * as z from 'zod';

import { route } from '../http/route';
import { notificationTemplates } from '../notifications/templates';

const check = z.object({ ok: z.boolean(), latencyMs: z.number() });

export const getHealth = route({
  id: 'getHealth',
  method: 'GET',
  path: '/health',
  handler: 'functions/system/get-health.ts',
  summary: 'Liveness and dependency check: the table and every queue reachable',
  tag: 'system',
  access: 'public',
  response: z.object({
    status: z.enum(['ok', 'degraded']),
    stage: z.string(),
    time: z.string(),
    table: check,
    queues: z.record(z.string(), check.extend({ depth: z.number().nullable() })),
  }),
  status: 200,
});

export const getOpenApi = route({
  id: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  handler: 'functions/system/get-openapi.ts',
  summary: 'This API as an OpenAPI 3.1 document, generated from the route table',
  tag: 'system',
  access: 'public',
  response: z.record(z.string(), z.unknown()),
  status: 200,
});

export const getAppConfig = route({
  id: 'getAppConfig',
  method: 'GET',
  path: '/v1/app-config',
  handler: 'functions/system/get-app-config.ts',
  summary: 'What the mini-program needs from the deployment: the WeChat subscribe-message template ids to ask the user for',
  tag: 'system',
  access: 'public',
  response: z.object({
    subscribeTemplates: z.partialRecord(z.enum(notificationTemplates), z.string()),
    /** The stage accepts `dev:<openid>` logins (local and test only): the console offers its demo sign-in. */
    devLogin: z.boolean(),
  }),
  status: 200,
});

export const systemRoutes = [getHealth, getOpenApi, getAppConfig];
