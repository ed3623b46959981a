import { createHash } from 'node:crypto';

import { writeAudit } from '../audit/audit';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { canSeeGrid } from '../auth/scope';
import { BadRequestError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { getHousehold } from '../households/repository';
import { getGrid, getOrgTree, type OrgTree } from '../org/repository';
import { seal, unseal } from '../pii/crypto';
import { maskPhone } from '../pii/redact';
import { type FieldDefinition, type RequestType, requestType, requestTypes } from '../requests/catalogue';
import { levelNames, type ServiceRequest, type TimelineEvent } from '../requests/model';
import { getOpen311Token, getRequest, getRequests, getRequestWithTimeline, listByRequester, listRequestsOfMonth } from '../requests/repository';
import { submitFor } from '../requests/use-cases';
import { beijingMonth } from '../time';
import type { Open311Key } from './api-keys';

/**
 * Open311 GeoReport v2 over the request catalogue and the same intake as the mini-program:
 * services from the catalogue (private types — legal aid, dispute mediation — are not offered),
 * requests filed under a partner's key and routed asynchronously (answered with a token), the
 * public list without anyone's name, phone, exact address or words, and the partner's own
 * requests with their contact details and timeline (FixMyStreet's servicerequestupdates).
 */
export const jurisdictionId = 'anzhi.xincheng';
export const specification = 'http://wiki.open311.org/GeoReport_v2';

/** One endpoint, one jurisdiction: a jurisdiction_id other than ours is a 404, as for anything not here. */
export function checkJurisdiction(id: string | undefined): void {
  if (id !== undefined && id !== jurisdictionId) throw new NotFoundError('JURISDICTION_NOT_FOUND', `本接口只服务 jurisdiction_id=${jurisdictionId}`);
}

/** Types another system may file: not the private ones (their intake needs the resident's own identity). */
export const offeredTypes = (): RequestType[] => requestTypes.filter((t) => !t.private);

function offeredType(code: string | undefined): RequestType {
  const t = offeredTypes().find((x) => x.code === code);
  if (!t) throw new NotFoundError('SERVICE_NOT_FOUND', `没有这项服务：${code ?? '(空)'}`);
  return t;
}

export function discovery(baseUrl: string, changeset: string) {
  return {
    changeset,
    contact: '新城街道社会治理综合指挥中心（工作日 8:30-17:30）',
    key_service: '向街道系统管理员申请 API key（写明单位、用途和联系人）',
    endpoints: [{ specification, url: `${baseUrl}/open311/v2`, changeset, type: 'production', formats: ['application/json', 'text/xml'] }],
  };
}

export function services() {
  return offeredTypes().map((t) => ({
    service_code: t.code,
    service_name: t.name,
    description: t.description,
    metadata: t.fields.length > 0,
    type: 'realtime',
    keywords: [t.group, t.name].join(','),
    group: t.group,
  }));
}

/** Open311's datatypes: ours less `boolean`, which is a list of 是 / 否. */
function attributeOf(f: FieldDefinition) {
  const values = f.datatype === 'boolean' ? [{ key: 'true', name: '是' }, { key: 'false', name: '否' }] : f.choices?.map((c) => ({ key: c.key, name: c.name }));
  return {
    variable: true,
    code: f.code,
    datatype: f.datatype === 'boolean' ? 'singlevaluelist' : f.datatype,
    required: f.required,
    datatype_description: f.datatype === 'datetime' ? 'ISO 8601，如 2026-11-29T09:30:00+08:00' : f.datatype === 'number' ? '数字' : '',
    order: f.order,
    description: f.label,
    ...(values ? { values } : {}),
  };
}

export function serviceDefinition(code: string) {
  const t = offeredType(code);
  return { service_code: t.code, attributes: [...t.fields].sort((a, b) => a.order - b.order).map(attributeOf) };
}

export interface PostRequestForm {
  service_code?: string;
  lat?: string;
  long?: string;
  address_string?: string;
  address_id?: string;
  description?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  email?: string;
  attribute?: Record<string, string | string[]>;
}

/** Form strings to the catalogue's values (a number, 是/否, a list), named by attribute so errors point at the form's field. */
function fieldsFrom(t: RequestType, attribute: Record<string, string | string[]>): Record<string, unknown> {
  const errors: { field: string; reason: string; message: string }[] = [];
  const out: Record<string, unknown> = {};
  for (const f of t.fields) {
    const raw = attribute[f.code];
    const name = `attribute[${f.code}]`;
    if (raw === undefined || raw === '' || (Array.isArray(raw) && !raw.length)) {
      if (f.required) errors.push({ field: name, reason: 'required', message: `请填写「${f.label}」` });
      continue;
    }
    const one = Array.isArray(raw) ? raw[0]! : raw;
    switch (f.datatype) {
      case 'number':
        if (!/^\d+(\.\d+)?$/.test(one)) errors.push({ field: name, reason: 'not_a_number', message: `「${f.label}」应为数字` });
        else out[f.code] = Number(one);
        break;
      case 'boolean':
        if (one !== 'true' && one !== 'false') errors.push({ field: name, reason: 'invalid_value', message: `「${f.label}」应为 true 或 false` });
        else out[f.code] = one === 'true';
        break;
      case 'multivaluelist':
        out[f.code] = Array.isArray(raw) ? raw : [raw];
        break;
      default:
        out[f.code] = one;
    }
  }
  const unknown = Object.keys(attribute).filter((c) => !t.fields.some((f) => f.code === c));
  for (const c of unknown) errors.push({ field: `attribute[${c}]`, reason: 'unknown', message: `服务 ${t.code} 没有属性 ${c}` });
  if (errors.length) throw new ValidationError(errors, '请求参数有误');
  return out;
}

/**
 * POST requests: validated like any request, filed as the partner's (its requester id names the
 * key), the contact sealed, the grid from `address_id` when it names a household on the roster
 * (otherwise the sub-district's command centre triages it), into the same intake queue. The
 * answer is a token; the id follows once routing has placed the request.
 */
export async function fileRequest(key: Open311Key, form: PostRequestForm, now = new Date()): Promise<{ token: string; service_notice: string; account_id: null }[]> {
  const t = offeredType(form.service_code);
  const hasPoint = form.lat !== undefined && form.long !== undefined;
  if (!hasPoint && !form.address_string && !form.address_id) {
    throw new BadRequestError('LOCATION_REQUIRED', '需要位置：lat 与 long、address_string 或 address_id 之一', [{ field: 'address_string', reason: 'required', message: '请给出位置' }]);
  }
  if (hasPoint && !(Math.abs(Number(form.lat)) <= 90 && Math.abs(Number(form.long)) <= 180)) {
    throw new BadRequestError('INVALID_LOCATION', '经纬度不正确', [{ field: 'lat', reason: 'invalid', message: 'lat ∈ [-90, 90]，long ∈ [-180, 180]' }]);
  }
  const description = (form.description ?? '').trim();
  if (description.length < 5 || description.length > 1000) {
    throw new BadRequestError('VALIDATION_FAILED', '请描述诉求（5 至 1000 字）', [{ field: 'description', reason: 'length', message: '5 至 1000 字' }]);
  }
  const fields = fieldsFrom(t, form.attribute ?? {});
  const household = form.address_id ? await getHousehold(form.address_id) : null;
  if (form.address_id && !household) throw new BadRequestError('UNKNOWN_ADDRESS_ID', `address_id ${form.address_id} 不在花名册中`, [{ field: 'address_id', reason: 'not_found', message: '不是花名册中的户号' }]);
  const phone = form.phone?.replace(/\s|-/g, '');
  // The same ticket filed twice (a partner's retry after a timeout) is one request, and its token
  // is drawn from the same key: the retry is answered with the first filing's token, unread.
  const idempotencyKey = `o311-${key.keyId}-${createHash('sha256').update(`${t.code}|${description}|${phone ?? ''}`).digest('base64url').slice(0, 40)}`;
  const token = createHash('sha256').update(`token|${idempotencyKey}`).digest('base64url').slice(0, 16);
  const name = [form.last_name, form.first_name].filter(Boolean).join('') || undefined;
  const point = hasPoint ? `（${Number(form.lat).toFixed(5)}, ${Number(form.long).toFixed(5)}）` : '';
  await submitFor(
    { userId: `partner-${key.keyId}`, roles: ['resident'] },
    {
      requesterId: `partner-${key.keyId}`,
      ...(household ? { requestedGridId: household.gridId } : {}),
      channel: { kind: key.kind, partner: key.partner, keyId: key.keyId, token },
      partnerContact: {
        ...(name ? { name } : {}),
        ...(phone ? { phone: await seal(phone), phoneMasked: maskPhone(phone) } : {}),
        ...(form.email ? { email: form.email } : {}),
      },
    },
    { typeCode: t.code, description, fields, addressText: `${form.address_string ?? household?.address ?? ''}${point}` || undefined },
    idempotencyKey,
    now,
  );
  return [{ token, service_notice: '已受理，正在分派给负责的网格员或街道指挥中心', account_id: null }];
}

export async function tokenStatus(token: string): Promise<{ token: string; service_request_id?: string }[]> {
  const t = await getOpen311Token(token);
  const r = t && (await getRequest(t.requestId, true));
  if (!t || !r) throw new NotFoundError('TOKEN_NOT_FOUND', '没有这个 token');
  return [r.status === 'submitted' ? { token } : { service_request_id: r.requestId, token }];
}

const closedStatuses = new Set(['resolved', 'closed']);

function updatedAt(r: ServiceRequest): string {
  return [r.createdAt, r.assignedAt, r.acceptedAt, r.resolvedAt, r.closedAt].filter((x): x is string => !!x).sort().at(-1)!;
}

/**
 * One request as Open311 shows it. Anyone: the type, status, times, who is responsible and where
 * by grid and community only. The partner that filed it (its key): also the words, the exact
 * address it gave and the contact (phone unsealed).
 */
async function record(r: ServiceRequest, tree: OrgTree, key: Open311Key | null) {
  const community = tree.communities.find((c) => c.communityId === r.communityId);
  const grid = community?.grids.find((g) => g.gridId === r.gridId);
  const own = !!key && r.channel?.keyId === key.keyId;
  const t = requestType(r.typeCode)!;
  const base = {
    service_request_id: r.requestId,
    status: closedStatuses.has(r.status) ? 'closed' : 'open',
    status_notes: r.status === 'submitted' ? '分派中' : r.status === 'assigned' ? '已分派，待受理' : r.status === 'in_progress' ? '办理中' : r.outcome === 'resolved' ? '已办结' : '已关闭',
    service_name: t.name,
    service_code: r.typeCode,
    agency_responsible: r.level ? `${levelNames[r.level]}${grid && r.level === 'grid' ? `（${grid.name}）` : ''}` : '',
    requested_datetime: r.createdAt,
    updated_datetime: updatedAt(r),
    expected_datetime: r.resolveDueAt ?? null,
    address: [community?.name, grid?.name].filter(Boolean).join('·'),
    lat: null,
    long: null,
    media_url: null,
  };
  if (!own) return base;
  const c = r.partnerContact ?? {};
  return {
    ...base,
    description: r.description,
    address: r.addressText ?? base.address,
    channel: r.channel!.partner,
    contact_name: c.name ?? null,
    contact_phone: c.phone ? await unseal(c.phone) : null,
    contact_email: c.email ?? null,
  };
}

export interface RequestQuery {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  page: number;
  page_size: number;
}

const dayMs = 86_400_000;

/**
 * GET requests: by ids (the other filters ignored, as the specification says), or the window
 * (default: the last 90 days; at most 90 days) newest first, filtered by type and status, at most
 * 1,000 across pages. Private types are never listed.
 */
export async function listRequests(q: RequestQuery, key: Open311Key | null, now = new Date()) {
  const tree = await getOrgTree();
  if (q.service_request_id) {
    const ids = q.service_request_id.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 100);
    const found = await getRequests(ids);
    return Promise.all(found.filter((r) => !r.private).map((r) => record(r, tree, key)));
  }
  const end = q.end_date ? new Date(q.end_date) : now;
  const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - 90 * dayMs);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start > end) {
    throw new BadRequestError('INVALID_DATES', 'start_date / end_date 应为 ISO 8601 时间，且开始不晚于结束', [{ field: 'start_date', reason: 'invalid', message: '如 2026-11-01T00:00:00+08:00' }]);
  }
  if (end.getTime() - start.getTime() > 90 * dayMs) throw new BadRequestError('WINDOW_TOO_LONG', '时间范围最长 90 天', [{ field: 'start_date', reason: 'too_long', message: '最长 90 天' }]);
  const codes = q.service_code ? new Set(q.service_code.split(',')) : null;
  const statuses = q.status ? new Set(q.status.split(',')) : null;
  const cap = 1000;
  const wanted = Math.min(q.page * q.page_size, cap);
  const out: ServiceRequest[] = [];
  for (let m = new Date(end); out.length < wanted; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() - 1, 15))) {
    const month = beijingMonth(m);
    if (month < beijingMonth(start)) break;
    for (const r of await listRequestsOfMonth(month, start.toISOString(), end.toISOString(), cap)) {
      if (r.private || (codes && !codes.has(r.typeCode)) || (statuses && !statuses.has(closedStatuses.has(r.status) ? 'closed' : 'open'))) continue;
      out.push(r);
    }
  }
  const page = out.slice((q.page - 1) * q.page_size, wanted);
  return Promise.all(page.map((r) => record(r, tree, key)));
}

export async function oneRequest(id: string, key: Open311Key | null) {
  const r = await getRequest(id.replace(/\.(json|xml)$/, ''));
  if (!r || r.private) throw new NotFoundError('REQUEST_NOT_FOUND', '没有这个诉求');
  return [await record(r, await getOrgTree(), key)];
}

const updateStatus = (e: TimelineEvent) => (e.kind === 'resolved' || e.kind === 'closed' ? 'closed' : 'open');

/**
 * FixMyStreet's servicerequestupdates: the timeline of the partner's own requests updated within
 * the window (default: the last 7 days), oldest first — so a partner follows what it filed.
 */
export async function requestUpdates(key: Open311Key, q: { start_date?: string; end_date?: string; service_request_id?: string }, now = new Date()) {
  const end = q.end_date ? new Date(q.end_date) : now;
  const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - 7 * dayMs);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw new BadRequestError('INVALID_DATES', 'start_date / end_date 应为 ISO 8601 时间', [{ field: 'start_date', reason: 'invalid', message: '如 2026-11-01T00:00:00+08:00' }]);
  let mine: ServiceRequest[];
  if (q.service_request_id) {
    const r = await getRequest(q.service_request_id);
    if (!r || r.channel?.keyId !== key.keyId) throw new NotFoundError('REQUEST_NOT_FOUND', '没有这个诉求，或不是本单位提交的');
    mine = [r];
  } else {
    mine = (await listByRequester(`partner-${key.keyId}`, 100)).items.filter((r) => updatedAt(r) >= start.toISOString());
  }
  // The timelines read together (one Query each), not one after another.
  const timelines = await Promise.all(mine.map(async (r) => ({ r, timeline: (await getRequestWithTimeline(r.requestId))?.timeline ?? [] })));
  const updates = timelines.flatMap(({ r, timeline }) =>
    timeline
      .filter((e) => e.at >= start.toISOString() && e.at <= end.toISOString())
      .map((e) => ({ update_id: `${r.requestId}-${e.seq}`, service_request_id: r.requestId, status: updateStatus(e), updated_datetime: e.at, description: e.text, media_url: null })),
  );
  return updates.sort((a, b) => a.updated_datetime.localeCompare(b.updated_datetime));
}

/**
 * The phone number a partner's caller left, for those handling the request (the sub-district's
 * staff and admin, its assignee, and the staff whose scope covers its grid) — audited like any
 * reveal of a resident's number.
 */
export async function revealPartnerCaller(p: Principal, requesterId: string, requestId: string | undefined, reason: string) {
  const r = requestId ? await getRequest(requestId, true) : null;
  if (!r || r.requesterId !== requesterId) throw new NotFoundError('REQUEST_NOT_FOUND', '请指明来电人所反映的诉求');
  const grid = r.gridId ? await getGrid(r.gridId) : null;
  if (!(hasRole(p, 'admin', 'street_staff') || r.assigneeId === p.userId || (!!grid && canSeeGrid(p, grid)))) throw new ForbiddenError('OUT_OF_SCOPE', '这条诉求不在您负责的范围内');
  await writeAudit({ actorId: p.userId, action: 'pii.reveal', targetType: 'request', targetId: r.requestId, detail: { field: 'phone', reason, caller: requesterId } });
  return { userId: requesterId, field: 'phone' as const, value: r.partnerContact?.phone ? await unseal(r.partnerContact.phone) : null };
}

/** A caller's api_key is required here (filing, following its own requests). */
export function requireKey(key: Open311Key | null): Open311Key {
  if (!key) throw new ForbiddenError('API_KEY_REQUIRED', '需要 api_key');
  return key;
}
