import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { RouteDefinition } from '../../shared/http/route';

type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export const projectRoot = resolve(import.meta.dirname, '../..');

/** Imports a handler module the way Lambda would load its bundle: once, then reused. */
export async function loadHandler<T = unknown>(modulePath: string): Promise<T> {
  const mod = (await import(pathToFileURL(resolve(projectRoot, modulePath)).href)) as { handler?: T };
  if (typeof mod.handler !== 'function') throw new Error(`${modulePath} does not export a handler function`);
  return mod.handler;
}

interface CompiledRoute {
  def: RouteDefinition;
  regex: RegExp;
  names: string[];
}

function compile(def: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  const pattern = def.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { def, regex: new RegExp(`^${pattern}$`), names };
}

/** Builds the API Gateway HTTP API (payload 2.0) event, as the real service sends it. */
export function toApiGatewayEvent(req: IncomingMessage, body: Buffer, route: CompiledRoute, match: RegExpExecArray): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const pathParameters: Record<string, string> = {};
  route.names.forEach((n, i) => (pathParameters[n] = decodeURIComponent(match[i + 1]!)));
  const now = new Date();
  const routeKey = `${route.def.method} ${route.def.path}`;
  const textual = /json|text|x-www-form-urlencoded/i.test(headers['content-type'] ?? '') || body.length === 0;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(route.names.length ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !textual,
  };
}

function lambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
export { lambdaContext };

/** API Gateway's own limit on an HTTP API payload. */
const maxPayloadBytes = 10 * 1024 * 1024;

function notFound(): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 404,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: { code: 'ROUTE_NOT_FOUND', message: '请求的接口不存在', details: [] } }),
  };
}

/**
 * The local stand-in for API Gateway: matches the route table, turns the HTTP request into a
 * payload 2.0 event and invokes the route's real handler module.
 */
export function createLocalApi(routes: readonly RouteDefinition[]): Server {
  const compiled = routes.map(compile);
  return createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxPayloadBytes) {
        res.writeHead(413, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: '提交的内容过大', details: [] } }));
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let result: APIGatewayProxyStructuredResultV2 = notFound();
    for (const r of compiled) {
      if (r.def.method !== req.method) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      try {
        const handler = await loadHandler<HttpHandler>(r.def.handler);
        result = await handler(toApiGatewayEvent(req, Buffer.concat(chunks), r, m), lambdaContext(r.def.id, 29_000));
      } catch (err) {
        // Lambda answers 500 when a handler crashes outside its own error handling.
        console.error(`[local-api] ${r.def.id} crashed`, err);
        result = { statusCode: 500, body: JSON.stringify({ error: { code: 'INTERNAL', message: '系统出了点问题，请稍后再试', details: [] } }) };
      }
      break;
    }
    const headers = Object.fromEntries(
      Object.entries(result.headers ?? {}).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)]),
    );
    res.writeHead(result.statusCode ?? 200, headers);
    res.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
  });
}
