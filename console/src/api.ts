import type * as z from 'zod';

import type * as consoleRoutes from '../../shared/routes/console';
import type { getGridHouseholds, getHousehold, getMyRosterImports, postRosterImport } from '../../shared/routes/households';
import type { getLegalFigures } from '../../shared/routes/legal';
import type { getRequestDetail, postRequestAction, requestActionBody } from '../../shared/routes/requests';
import type { getAppConfig } from '../../shared/routes/system';

/**
 * The console's one HTTP client, typed from the route table (types only: no schema code reaches
 * the bundle). The API is on the console's own origin (/v1/* through the same CloudFront
 * distribution, or the local API), so there is no CORS and no base URL to configure.
 */
type Answer<R extends { response: z.ZodType }> = z.output<R['response']>;

export type Overview = Answer<typeof consoleRoutes.getConsoleOverview>;
export type GridTiles = Answer<typeof consoleRoutes.getConsoleGrids>;
export type GridDetail = Answer<typeof consoleRoutes.getConsoleGrid>;
export type Trends = Answer<typeof consoleRoutes.getConsoleTrends>;
export type Board = Answer<typeof consoleRoutes.getConsoleRequests>;
export type BoardItem = Board['items'][number];
export type RequestDetail = Answer<typeof getRequestDetail>;
export type RequestAction = z.input<typeof requestActionBody>;
export type Households = Answer<typeof getGridHouseholds>;
export type HouseholdDetail = Answer<typeof getHousehold>;
export type ConsoleLogin = Answer<typeof consoleRoutes.postConsoleLogin>;
export type LoginPoll = Answer<typeof consoleRoutes.postConsoleLoginPoll>;
export type AppConfig = Answer<typeof getAppConfig>;
export type SignedInUser = NonNullable<LoginPoll['user']>;
export type ExportJob = Answer<typeof consoleRoutes.getExport>;
export type RosterImport = Answer<typeof postRosterImport>;
export type RosterImportJob = Omit<RosterImport, 'upload'>;
export type RosterImportList = Answer<typeof getMyRosterImports>;
export type LegalFigures = Answer<typeof getLegalFigures>;
type ActionAnswer = Answer<typeof postRequestAction>;

/** An answer in the v1 error contract: a stable code and a message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const store = window.sessionStorage;
const keys = { token: 'console.token', refresh: 'console.refresh', user: 'console.user' } as const;

export const session = {
  user(): SignedInUser | null {
    const raw = store.getItem(keys.user);
    return raw ? (JSON.parse(raw) as SignedInUser) : null;
  },
  save(s: { token?: string; refreshToken?: string; user?: SignedInUser }) {
    if (s.token) store.setItem(keys.token, s.token);
    if (s.refreshToken) store.setItem(keys.refresh, s.refreshToken);
    if (s.user) store.setItem(keys.user, JSON.stringify(s.user));
  },
  clear() {
    Object.values(keys).forEach((k) => store.removeItem(k));
  },
};

async function send(method: string, path: string, body?: unknown, token?: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (json as { error?: { code: string; message: string } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? 'HTTP_' + res.status, e?.message ?? '服务暂时不可用，请稍后再试');
  }
  return json as T;
}

let refreshing: Promise<boolean> | null = null;

/** Renews the 15-minute access token with the session's refresh token (once, however many calls wait). */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = store.getItem(keys.refresh);
    if (!refreshToken) return false;
    const res = await send('POST', '/v1/auth/refresh', { refreshToken });
    if (!res.ok) return false;
    session.save((await res.json()) as { token: string; refreshToken: string; user: SignedInUser });
    return true;
  })().finally(() => (refreshing = null));
  return refreshing;
}

/** Signed-in call: renews the token once on 401, then gives up and sends the user to sign in again. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body, store.getItem(keys.token));
  if (res.status === 401 && (await refresh())) res = await send(method, path, body, store.getItem(keys.token));
  if (res.status === 401) {
    session.clear();
    window.location.hash = '#/login';
  }
  return parse<T>(res);
}

const q = (scope: string | undefined) => (scope ? `?scope=${encodeURIComponent(scope)}` : '');

export const api = {
  appConfig: () => send('GET', '/v1/app-config').then((r) => parse<AppConfig>(r)),
  createLogin: () => send('POST', '/v1/console/logins').then((r) => parse<ConsoleLogin>(r)),
  pollLogin: (loginId: string, pollSecret: string) => send('POST', `/v1/console/logins/${loginId}/poll`, { pollSecret }).then((r) => parse<LoginPoll>(r)),
  /** Local stage only: what the mini-program does after a scan, for the demo (dev login, then approve). */
  async demoApprove(loginId: string, openid: string) {
    const login = await parse<{ token: string }>(await send('POST', '/v1/auth/wechat', { code: `dev:${openid}` }));
    return parse<{ approved: true }>(await send('POST', `/v1/console/logins/${loginId}/approval`, undefined, login.token));
  },
  overview: (scope?: string) => call<Overview>('GET', `/v1/console/overview${q(scope)}`),
  grids: (scope?: string) => call<GridTiles>('GET', `/v1/console/grids${q(scope)}`),
  grid: (gridId: string) => call<GridDetail>('GET', `/v1/console/grids/${gridId}`),
  trends: (scope?: string) => call<Trends>('GET', `/v1/console/trends${q(scope)}`),
  board: (scope?: string) => call<Board>('GET', `/v1/console/requests${q(scope)}`),
  request: (requestId: string) => call<RequestDetail>('GET', `/v1/requests/${requestId}`),
  act: (requestId: string, action: RequestAction) => call<ActionAnswer>('POST', `/v1/requests/${requestId}/actions`, action),
  startExport: (kind: ExportJob['kind'], scope?: string) => call<ExportJob>('POST', '/v1/exports', { kind, ...(scope ? { scope } : {}) }),
  exportJob: (exportId: string) => call<ExportJob>('GET', `/v1/exports/${exportId}`),
  /** A roster import: the job and its upload form, the file posted straight to storage, then started (202). */
  async importRoster(file: File): Promise<RosterImportJob> {
    const job = await call<RosterImport>('POST', '/v1/imports', { fileName: file.name });
    const form = new FormData();
    for (const [k, v] of Object.entries(job.upload.fields)) form.append(k, v);
    form.append('file', file);
    const sent = await fetch(job.upload.url, { method: 'POST', body: form }).catch(() => null);
    if (!sent?.ok) throw new ApiError(sent?.status ?? 0, 'UPLOAD_FAILED', '文件上传没有成功，请检查网络后重试');
    return call<RosterImportJob>('POST', `/v1/imports/${job.importId}/start`);
  },
  rosterImport: (importId: string) => call<RosterImportJob>('GET', `/v1/imports/${importId}`),
  rosterImports: () => call<RosterImportList>('GET', '/v1/imports'),
  legalFigures: () => call<LegalFigures>('GET', '/v1/legal/figures'),
  household: (householdId: string) => call<HouseholdDetail>('GET', `/v1/households/${householdId}`),
  households: (gridId: string, cursor?: string) => call<Households>('GET', `/v1/grids/${gridId}/households?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
};
