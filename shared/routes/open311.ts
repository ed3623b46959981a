import * as z from 'zod';

import { route } from '../http/route';
import { open311Wire } from '../open311/wire';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) for the 12345 hotline and partner
 * systems, and the admin's API keys for them. Each document in JSON or XML by its suffix; the
 * `{document}` segments carry it (API Gateway has no partial-segment parameters).
 */
const document = z.string().regex(/^[A-Za-z0-9_-]+\.(json|xml)$/, '以 .json 或 .xml 结尾');
const listQuery = z.object({
  api_key: z.string().optional(),
  jurisdiction_id: z.string().optional(),
  service_request_id: z.string().optional(),
  service_code: z.string().optional(),
  start_date: z.string().optional(),
  end_date: z.string().optional(),
  status: z.string().optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(1000),
});
/** An Open311 document, rendered as the path asks (its shape is the specification's). */
const open311Document = z.unknown();
/** What every Open311 route shares: public (a partner's key, not a role, decides), its own wire. */
const open311 = { tag: 'open311', access: 'public', response: open311Document, status: 200, wire: open311Wire } as const;
const document311 = z.object({ document });

export const getOpen311Document = route({
  ...open311,
  id: 'getOpen311Document',
  method: 'GET',
  path: '/open311/v2/{document}',
  handler: 'functions/open311/get-document.ts',
  summary: 'Open311: discovery, services, requests (the public list; with api_key, the partner’s own requests carry their words and contact) and servicerequestupdates (FixMyStreet; api_key required) — .json or .xml',
  params: document311,
  query: listQuery,
  // api_key calls count against the key's rate limit.
  tableAccess: 'readwrite',
});

export const getOpen311Service = route({
  ...open311,
  id: 'getOpen311Service',
  method: 'GET',
  path: '/open311/v2/services/{document}',
  handler: 'functions/open311/get-service.ts',
  summary: 'Open311: one service definition — its attributes with datatype, required, order and values',
  params: document311,
  query: z.object({ jurisdiction_id: z.string().optional() }),
});

export const getOpen311Request = route({
  ...open311,
  id: 'getOpen311Request',
  method: 'GET',
  path: '/open311/v2/requests/{document}',
  handler: 'functions/open311/get-request.ts',
  summary: 'Open311: one request (public fields; with the filing partner’s api_key, also its words and contact)',
  params: document311,
  query: z.object({ api_key: z.string().optional(), jurisdiction_id: z.string().optional() }),
  tableAccess: 'readwrite',
});

export const getOpen311Token = route({
  ...open311,
  id: 'getOpen311Token',
  method: 'GET',
  path: '/open311/v2/tokens/{document}',
  handler: 'functions/open311/get-token.ts',
  summary: 'Open311: the service_request_id of a token, once routing has placed the request',
  params: document311,
  query: z.object({ jurisdiction_id: z.string().optional() }),
});

export const postOpen311Request = route({
  ...open311,
  id: 'postOpen311Request',
  method: 'POST',
  path: '/open311/v2/{document}',
  handler: 'functions/open311/post-request.ts',
  summary: 'Open311: file a request (form-encoded: api_key, service_code, a location, description, attribute[CODE] / attribute[CODE][]); answered with a token',
  params: document311,
  body: z.object({
    api_key: z.string().optional(),
    jurisdiction_id: z.string().optional(),
    service_code: z.string().optional(),
    lat: z.string().optional(),
    long: z.string().optional(),
    address_string: z.string().max(200).optional(),
    address_id: z.string().max(40).optional(),
    description: z.string().optional(),
    first_name: z.string().max(40).optional(),
    last_name: z.string().max(40).optional(),
    phone: z.string().max(30).optional(),
    email: z.string().max(100).optional(),
    device_id: z.string().optional(),
    account_id: z.string().optional(),
    media_url: z.string().optional(),
    attribute: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  }),
  status: 201,
  sends: ['intake'],
  maxBodyBytes: 16 * 1024,
});

const keyView = z.object({
  keyId: z.string(),
  partner: z.string(),
  kind: z.enum(['hotline_12345', 'partner']),
  jurisdiction: z.string(),
  perMinute: z.number(),
  status: z.enum(['active', 'revoked']),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().optional(),
  prefix: z.string(),
});

export const postOpen311Key = route({
  id: 'postOpen311Key',
  method: 'POST',
  path: '/v1/admin/open311-keys',
  handler: 'functions/open311/post-key.ts',
  summary: 'Issue an Open311 API key to a partner (the key is shown this once; only its hash is kept)',
  tag: 'open311',
  access: ['admin'],
  body: z.object({
    partner: z.string().trim().min(2).max(40),
    kind: z.enum(['hotline_12345', 'partner']).default('partner'),
    perMinute: z.number().int().min(1).max(600).default(60),
  }),
  response: keyView.extend({ apiKey: z.string() }),
  status: 201,
});

export const getOpen311Keys = route({
  id: 'getOpen311Keys',
  method: 'GET',
  path: '/v1/admin/open311-keys',
  handler: 'functions/open311/get-keys.ts',
  summary: 'The Open311 API keys issued, active and revoked (never the keys themselves)',
  tag: 'open311',
  access: ['admin'],
  response: z.object({ items: z.array(keyView) }),
  status: 200,
});

export const deleteOpen311Key = route({
  id: 'deleteOpen311Key',
  method: 'DELETE',
  path: '/v1/admin/open311-keys/{keyId}',
  handler: 'functions/open311/delete-key.ts',
  summary: 'Revoke an Open311 API key: its calls are refused with 403 from now on',
  tag: 'open311',
  access: ['admin'],
  params: z.object({ keyId: z.string().min(1).max(40) }),
  response: keyView,
  status: 200,
});

export const open311Routes = [getOpen311Document, getOpen311Service, getOpen311Request, getOpen311Token, postOpen311Request, postOpen311Key, getOpen311Keys, deleteOpen311Key];
