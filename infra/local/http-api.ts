import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

import type { RouteDefinition } from '../../shared/http/route';
import { routeGrant, runWithGrant } from '../../shared/system/grants';
import { serveConsole } from './console';

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

type Result = APIGatewayProxyStructuredResultV2;

/** An answer in the v1 error contract, for what the gateway itself refuses. */
function gatewayError(statusCode: number, code: string, message: string): Result {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({ error: { code, message, details: [] } }),
  };
}

const notFound = () => gatewayError(404, 'ROUTE_NOT_FOUND', '请求的接口不存在');
const internal = () => gatewayError(500, 'INTERNAL', '系统出了点问题，请稍后再试');

/** A request the gateway cannot turn into an event: bad URL, bad percent-encoding. */
class MalformedRequest extends Error {}

function parsePath(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    throw new MalformedRequest('unparseable request target');
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxPayloadBytes) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function answer(compiled: CompiledRoute[], req: IncomingMessage): Promise<Result> {
  const body = await readBody(req);
  if (body === 'too_large') return gatewayError(413, 'PAYLOAD_TOO_LARGE', '提交的内容过大');
  const path = parsePath(req);
  for (const r of compiled) {
    if (r.def.method !== req.method) continue;
    const m = r.regex.exec(path);
    if (!m) continue;
    let event: APIGatewayProxyEventV2;
    try {
      event = toApiGatewayEvent(req, body, r, m);
    } catch {
      throw new MalformedRequest('bad percent-encoding');
    }
    try {
      const handler = await loadHandler<HttpHandler>(r.def.handler);
      // With the stack's grants: only what the route declares.
      return await runWithGrant(routeGrant(r.def), () => handler(event, lambdaContext(r.def.id, 29_000)));
    } catch (err) {
      // Lambda answers 500 when a handler crashes outside its own error handling.
      console.error(`[local-api] ${r.def.id} crashed`, err);
      return internal();
    }
  }
  return notFound();
}

/**
 * The local stand-in for API Gateway: matches the route table, turns the HTTP request into a
 * payload 2.0 event and invokes the route's real handler module. Whatever a client sends or
 * however it hangs up, the process stays up: this server is what `npm start` demos on, and a
 * phone on a weak network aborts requests halfway all the time.
 */
export function createLocalApi(routes: readonly RouteDefinition[]): Server {
  const compiled = routes.map(compile);
  const server = createServer((req, res) => {
    // A client that hangs up mid-body makes the request stream fail; there is nobody to answer.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    // The console's static files share the origin with the API, as behind CloudFront.
    try {
      if (serveConsole(req, res, parsePath(req))) return;
    } catch {
      // a malformed target: the API path below answers it
    }
    answer(compiled, req)
      .catch((err: unknown): Result | null => {
        if (err instanceof MalformedRequest) return gatewayError(400, 'MALFORMED_REQUEST', '请求地址格式不正确');
        if (req.destroyed || req.aborted) return null;
        console.error('[local-api] request failed', err);
        return internal();
      })
      .then((result) => {
        if (!result || res.destroyed || res.headersSent) return;
        const headers = Object.fromEntries(
          Object.entries(result.headers ?? {}).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)]),
        );
        res.writeHead(result.statusCode ?? 200, headers);
        res.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
      })
      .catch(() => res.destroy());
  });
  // Malformed HTTP (a bad chunked body, a broken header) never reaches the handler: answer 400
  // where the socket still can, and never let it end the process.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
