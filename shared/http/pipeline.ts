import middy, { type MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';

import { authenticate, authorize, type Principal } from '../auth/authorize';
import { config } from '../config';
import { asAppError, BadRequestError, PayloadTooLargeError, toErrorBody,UnsupportedMediaTypeError } from '../errors';
import { logger } from '../logger';
import { parseInput } from '../validation';
import { type CursorBinding,openCursor, sealCursor } from './cursor';
import type { RouteDefinition } from './route';

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

export interface HttpRequest<R extends RouteDefinition> {
  params: z.output<NonNullable<R['params']>>;
  query: z.output<NonNullable<R['query']>>;
  body: z.output<NonNullable<R['body']>>;
  /** Undefined only on public routes. */
  principal: R['access'] extends 'public' ? Principal | undefined : Principal;
  idempotencyKey: string | undefined;
  requestId: string;
  event: Event;
}

/** What a handler may return: the body (status from the route), or an explicit status and headers. */
export type HttpReply<R extends RouteDefinition> =
  | z.input<R['response']>
  | { status: number; body: z.input<R['response']>; headers?: Record<string, string>; raw: true }
  | TextReply;

/** A body already rendered (another wire than JSON: Open311's XML), sent as it is. */
export interface TextReply {
  status: number;
  text: string;
  contentType: string;
  raw: true;
}

export function textReply(status: number, text: string, contentType: string): TextReply {
  return { status, text, contentType, raw: true };
}

export function reply<R extends RouteDefinition>(
  _route: R,
  status: number,
  body: z.input<R['response']>,
  headers?: Record<string, string>,
): HttpReply<R> {
  return { status, body, headers, raw: true } as HttpReply<R>;
}

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** Adds the request id to every log line of this invocation and logs the outcome. */
const requestLogging = (): MiddlewareObj<Event, Result> => ({
  before: (request) => {
    logger.resetKeys();
    logger.appendKeys({
      requestId: request.event.requestContext?.requestId ?? request.context.awsRequestId,
      route: request.event.routeKey,
    });
  },
});

/** Rejects oversized or non-JSON bodies before anything parses them (or reads them as the route's wire says). */
function readBody(event: Event, route: RouteDefinition): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const limit = route.maxBodyBytes ?? config().MAX_BODY_BYTES;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > limit) throw new PayloadTooLargeError(limit);
  const contentType = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
  if (route.wire) return route.wire.parseBody(raw.toString('utf8'), contentType);
  if (!/^application\/(.+\+)?json\b/i.test(contentType)) throw new UnsupportedMediaTypeError();
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadRequestError('MALFORMED_JSON', '提交的内容不是有效的 JSON', [
      { field: 'body', reason: 'malformed_json', message: '无法解析请求内容' },
    ]);
  }
}

/** The one error middleware: every thrown error becomes the v1 error body (or the route's wire's). Registered last. */
const errorResponse = (route: RouteDefinition): MiddlewareObj<Event, Result> => ({
  onError: (request) => {
    const err = asAppError(request.error);
    if (err.status >= 500) logger.error('request failed', { code: err.code, error: err.cause ?? err });
    else logger.info('request refused', { code: err.code, status: err.status, details: err.details });
    if (route.wire) {
      request.response = route.wire.renderError(err, request.event.rawPath ?? '');
      return;
    }
    request.response = { statusCode: err.status, headers: { ...jsonHeaders }, body: JSON.stringify(toErrorBody(err)) };
  },
});

function corsOrigins(): string[] {
  return config()
    .CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/**
 * Builds the Lambda handler for one route of the route table. Middlewares: request logging, CORS,
 * security headers and the error contract. The core then applies the body limit and JSON parsing,
 * authentication and the role check from the route's `access`, zod parsing of params, query and
 * body, and calls the route's function (thin: it calls a use-case and maps the result).
 */
export function httpHandler<R extends RouteDefinition>(
  route: R,
  fn: (req: HttpRequest<R>) => Promise<HttpReply<R>>,
) {
  const core = async (event: Event, context: Context): Promise<Result> => {
    // Order matters: a caller without the right role learns nothing about the body's validity.
    const rawBody = readBody(event, route);
    let principal: Principal | undefined;
    if (route.access !== 'public') {
      principal = await authenticate(event);
      authorize(route.access, principal);
    } else if (event.headers?.authorization) {
      // A public route may show more to a signed-in caller (an employer's own draft); a bad
      // token there is simply ignored, the caller is anonymous.
      principal = await authenticate(event).catch(() => undefined);
    }
    const rawParams = event.pathParameters ?? {};
    const rawQuery = event.queryStringParameters ?? {};
    const binding: CursorBinding = { routeId: route.id, callerId: principal?.userId, params: rawParams, query: rawQuery };
    const params = route.params ? parseInput(route.params, rawParams, 'params') : {};
    const query = route.query
      ? parseInput(route.query, rawQuery.cursor ? { ...rawQuery, cursor: await openCursor(rawQuery.cursor, binding) } : rawQuery, 'query')
      : {};
    const body = route.body ? parseInput(route.body, rawBody ?? {}, 'body') : undefined;
    const headers = event.headers ?? {};
    const out = await fn({
      params,
      query,
      body,
      principal,
      idempotencyKey: headers['idempotency-key'] ?? headers['Idempotency-Key'],
      requestId: event.requestContext?.requestId ?? context.awsRequestId,
      event,
    } as HttpRequest<R>);
    const explicit = out && typeof out === 'object' && (out as { raw?: unknown }).raw === true;
    if (explicit && typeof (out as TextReply).text === 'string') {
      const t = out as TextReply;
      return { statusCode: t.status, headers: { 'content-type': t.contentType, 'cache-control': 'no-store' }, body: t.text };
    }
    const status = explicit ? (out as { status: number }).status : route.status;
    let payload = explicit ? (out as { body: unknown }).body : out;
    const next = (payload as { nextCursor?: unknown } | null)?.nextCursor;
    if (typeof next === 'string') payload = { ...(payload as object), nextCursor: await sealCursor(next, binding) };
    const extra = explicit ? ((out as { headers?: Record<string, string> }).headers ?? {}) : {};
    return {
      statusCode: status,
      headers: { ...jsonHeaders, ...extra },
      body: status === 204 ? '' : JSON.stringify(payload),
    };
  };

  return middy<Event, Result>()
    .use(requestLogging())
    .use(httpCors({ origins: corsOrigins(), credentials: false, headers: 'content-type,authorization,idempotency-key', maxAge: 600 }))
    .use(httpSecurityHeaders({ poweredBy: false, reportTo: false }))
    .use(errorResponse(route))
    .handler(core);
}
