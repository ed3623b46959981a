import type * as z from 'zod';

import type { RouteDefinition } from '../../shared/http/route';

/**
 * The one typed HTTP service of the mini-program. It knows nothing of `wx`: the transport, the
 * storage and the login are handed in (wx adapters in the app, fetch in tests), so the same code
 * runs in WeChat and against the local server in the contract tests. Types come from the shared
 * route table (type-only imports: no zod in the package).
 */
export interface HttpResponse {
  statusCode: number;
  data: unknown;
}
export type Transport = (req: { url: string; method: string; headers: Record<string, string>; data?: unknown }) => Promise<HttpResponse>;
export interface Storage {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
}
/** wx.login in the app: resolves to the code for POST /v1/auth/wechat. */
export type LoginCode = () => Promise<string>;

export interface ErrorDetail {
  field: string;
  reason: string;
  message: string;
}

/** What the user is shown: a Chinese sentence, and per field what to fix. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
  /** Field -> message, for putting the message under the form field at fault. */
  fieldMessages(): Record<string, string> {
    return Object.fromEntries(this.details.map((d) => [d.field.replace(/^body\.(fields\.)?/, ''), d.message]));
  }
}

export class NetworkError extends Error {
  constructor() {
    super('网络不太好，请稍后再试');
  }
}

const fallbackMessages: Record<number, string> = {
  400: '提交的内容有误，请检查后再试',
  401: '请重新登录',
  403: '您没有权限进行此操作',
  404: '没有找到相关内容',
  409: '操作冲突，请刷新后再试',
  413: '内容太大了',
  429: '操作太频繁，请稍后再试',
};

type Params<R extends RouteDefinition> = z.input<NonNullable<R['params']>>;
type Query<R extends RouteDefinition> = Partial<z.input<NonNullable<R['query']>>>;
type Body<R extends RouteDefinition> = z.input<NonNullable<R['body']>>;
export type Output<R extends RouteDefinition> = z.output<R['response']>;

/** A route as the client holds it: plain data, with the shared schemas' types riding along. */
export type RouteRef<R extends RouteDefinition> = Pick<R, 'id' | 'method' | 'path' | 'access'> & { readonly __route?: R };

export interface CallOptions<R extends RouteDefinition> {
  params?: Params<R>;
  query?: Query<R>;
  body?: Body<R>;
  idempotencyKey?: string;
}

const tokenKey = 'anzhi.token';
const refreshKey = 'anzhi.refresh';

export function buildPath(template: string, params: Record<string, unknown> = {}, query: Record<string, unknown> = {}): string {
  const path = template.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(String(params[k] ?? '')));
  const qs = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return qs ? `${path}?${qs}` : path;
}

export function createHttp(deps: { baseUrl: string; transport: Transport; storage: Storage; loginCode: LoginCode }) {
  /** Keeps the session's tokens; answers the access token. */
  function keep(data: unknown): string {
    const { token, refreshToken } = data as { token: string; refreshToken?: string };
    deps.storage.set(tokenKey, token);
    if (refreshToken) deps.storage.set(refreshKey, refreshToken);
    return token;
  }

  // A page that loads three things at once on a fresh phone logs in once, not three times.
  let loggingIn: Promise<string> | undefined;
  function login(): Promise<string> {
    loggingIn ??= (async () => {
      const code = await deps.loginCode();
      return keep((await send('POST', '/v1/auth/wechat', { code }, undefined, undefined)).data);
    })().finally(() => {
      loggingIn = undefined;
    });
    return loggingIn;
  }

  // The access token lives 15 minutes: renew it with the refresh token, silently and once for
  // all the calls that found it expired (a refresh token is single use: two refreshes with the
  // same one would end the session). Without a usable refresh token, log in again.
  let renewing: Promise<string> | undefined;
  function renew(): Promise<string> {
    renewing ??= (async () => {
      const refreshToken = deps.storage.get(refreshKey);
      if (refreshToken) {
        try {
          return keep((await send('POST', '/v1/auth/refresh', { refreshToken }, undefined, undefined)).data);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          deps.storage.remove(refreshKey);
        }
      }
      return login();
    })().finally(() => {
      renewing = undefined;
    });
    return renewing;
  }

  async function send(method: string, path: string, data: unknown, token: string | undefined, idempotencyKey: string | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let res: HttpResponse;
    try {
      res = await deps.transport({ url: `${deps.baseUrl}${path}`, method, headers, data });
    } catch {
      throw new NetworkError();
    }
    if (res.statusCode >= 400) {
      const e = (res.data as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
      throw new ApiError(res.statusCode, e?.code ?? 'HTTP_' + res.statusCode, e?.message ?? fallbackMessages[res.statusCode] ?? '系统繁忙，请稍后再试', e?.details ?? []);
    }
    return res;
  }

  /** Calls a route of the route table; logs in on first use, and renews the session once on a 401. */
  async function call<R extends RouteDefinition>(route: RouteRef<R>, opts: CallOptions<R> = {}): Promise<Output<R>> {
    const path = buildPath(route.path, opts.params as Record<string, unknown>, opts.query as Record<string, unknown>);
    const needsToken = route.access !== 'public';
    let token = deps.storage.get(tokenKey);
    // Public routes answer more when they know who asks (an activity's own sign-up status, the
    // lead's check-in code): log in for them too, but a failed login must not hide public pages.
    if (!token && route.id !== 'postAuthWechat') token = await login().catch((err: unknown) => (needsToken ? Promise.reject(err) : undefined));
    try {
      return (await send(route.method, path, opts.body, token, opts.idempotencyKey)).data as Output<R>;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401 || route.id === 'postAuthWechat' || route.id === 'postAuthRefresh') throw err;
      // Another call may have renewed the session while this one was on its way: use its token.
      const stored = deps.storage.get(tokenKey);
      if (stored && stored !== token) token = stored;
      else {
        deps.storage.remove(tokenKey);
        token = await renew();
      }
      return (await send(route.method, path, opts.body, token, opts.idempotencyKey)).data as Output<R>;
    }
  }

  return { call, login };
}

export type Http = ReturnType<typeof createHttp>;

/** An Idempotency-Key: made once per submission and kept with it, so a resend is recognised. */
export function newIdempotencyKey(): string {
  const rand = Math.random().toString(36).slice(2, 10);
  return `mp-${Date.now().toString(36)}-${rand}`;
}

/** What a route answers, from the client's copy of it: `Answer<typeof getJobs>`. */
export type Answer<Ref> = Ref extends RouteRef<infer R> ? Output<R> : never;
/** What a route takes as its body: `BodyOf<typeof postRequestAction>`. */
export type BodyOf<Ref> = Ref extends RouteRef<infer R> ? Body<R> : never;
