import * as z from 'zod';

import { colours, householdViewSchema, importStatuses, personTags, visitViewSchema } from '../households/model';
import { route } from '../http/route';
import { errorDetailSchema, pageOf, pageQuerySchema, ulidId } from '../schemas/common';

export const postHouseholdImport = route({
  id: 'postHouseholdImport',
  method: 'POST',
  path: '/v1/households/import',
  handler: 'functions/households/post-import.ts',
  summary: 'Import a community\'s household roster at once (CSV text, docs/household-roster.md): all rows validated, all-or-nothing, re-import changes nothing; a sub-district\'s file goes through POST /v1/imports',
  tag: 'households',
  access: ['admin', 'street_staff', 'community_staff'],
  body: z.object({ csv: z.string().min(1, { error: '文件是空的' }) }),
  response: z.object({ households: z.number(), members: z.number(), created: z.number(), updated: z.number(), unchanged: z.number() }),
  status: 200,
  maxBodyBytes: 6 * 1024 * 1024,
});

export const getGridHouseholds = route({
  id: 'getGridHouseholds',
  method: 'GET',
  path: '/v1/grids/{gridId}/households',
  handler: 'functions/households/get-grid-households.ts',
  summary: 'A grid\'s households, filtered by colour and tag (scoped to the caller\'s grid, community or sub-district; numbers masked)',
  tag: 'households',
  access: ['grid_worker', 'community_staff', 'street_staff', 'admin'],
  params: z.object({ gridId: z.string().regex(/^G\d{3}$/, { error: '网格编号格式应为 G001' }) }),
  query: pageQuerySchema.extend({ colour: z.enum(colours).optional(), tag: z.enum(personTags).optional() }),
  response: pageOf(householdViewSchema),
  status: 200,
});

export const getHousehold = route({
  id: 'getHousehold',
  method: 'GET',
  path: '/v1/households/{householdId}',
  handler: 'functions/households/get-household.ts',
  summary: 'One household (numbers masked) with its colour history, newest first — the console\'s drill-down (scoped; outside the scope: 404)',
  tag: 'households',
  access: ['grid_worker', 'community_staff', 'street_staff', 'admin'],
  params: z.object({ householdId: z.string().regex(/^[A-Za-z0-9-]{4,32}$/) }),
  response: householdViewSchema.extend({
    colourHistory: z.array(z.object({ from: z.string().nullable(), to: z.string(), fromName: z.string().nullable(), toName: z.string(), reason: z.string(), by: z.string(), at: z.string() })),
  }),
  status: 200,
});

export const patchHousehold = route({
  id: 'patchHousehold',
  method: 'PATCH',
  path: '/v1/households/{householdId}',
  handler: 'functions/households/patch-household.ts',
  summary: 'Change a household\'s colour (community staff and above) or its members\' tags, with the reason on record',
  tag: 'households',
  access: ['grid_worker', 'community_staff', 'street_staff', 'admin'],
  params: z.object({ householdId: z.string().regex(/^[A-Za-z0-9-]{4,32}$/) }),
  body: z
    .object({
      colour: z.enum(colours).optional(),
      memberTags: z.array(z.object({ personId: z.string().min(1).max(40), tags: z.array(z.enum(personTags)).max(10) })).max(20).optional(),
      reason: z.string().trim().min(2, { error: '请填写调整原因' }).max(200),
    })
    .refine((b) => b.colour !== undefined || b.memberTags !== undefined, { error: '请至少修改一项' }),
  response: householdViewSchema,
  status: 200,
});

export const getMyVisits = route({
  id: 'getMyVisits',
  method: 'GET',
  path: '/v1/me/visits',
  handler: 'functions/households/get-my-visits.ts',
  summary: 'The grid worker\'s open visits, soonest due first, overdue flagged',
  tag: 'households',
  access: ['grid_worker'],
  query: pageQuerySchema,
  response: pageOf(visitViewSchema),
  status: 200,
});

export const postVisitLog = route({
  id: 'postVisitLog',
  method: 'POST',
  path: '/v1/visits/{visitId}/log',
  handler: 'functions/households/post-visit-log.ts',
  summary: 'Log a visit: notes, findings and an optional proposed colour change for community staff to confirm',
  tag: 'households',
  access: ['grid_worker'],
  params: z.object({ visitId: z.string().regex(/^[RYG][0-9W]{6,8}-[A-Za-z0-9-]{4,32}$/) }),
  body: z.object({
    notes: z.string().trim().min(2, { error: '请填写走访情况' }).max(1000),
    findings: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
    proposedColour: z.enum(colours).optional(),
    proposedReason: z.string().trim().max(200).optional(),
  }),
  response: visitViewSchema.extend({ proposal: z.string().nullable() }),
  status: 200,
});

const importIdParams = z.object({ importId: ulidId('导入编号无效') });

export const rosterImportViewSchema = z.object({
  importId: z.string(),
  fileName: z.string(),
  status: z.enum(importStatuses).meta({ description: 'awaiting_upload → queued → checking → writing → done | failed' }),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  rows: z.number().nullable().meta({ description: 'Rows checked (people)' }),
  households: z.number().nullable(),
  toWrite: z.number().nullable().meta({ description: 'Households new or changed, to be written' }),
  written: z.number().meta({ description: 'Households written so far' }),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number().nullable(),
  errorCount: z.number(),
  errors: errorDetailSchema.array().meta({ description: 'The first 200 faults, each with its line and column (`line 12.id_number`)' }),
  message: z.string().nullable().meta({ description: 'What happened, for the person who imports' }),
});

export const postRosterImport = route({
  id: 'postRosterImport',
  method: 'POST',
  path: '/v1/imports',
  handler: 'functions/households/post-roster-import.ts',
  summary: 'A roster import job: answers at once with an upload form (presigned POST, CSV ≤ 30 MB, 10 minutes) for the file, straight to storage',
  tag: 'households',
  access: ['admin', 'street_staff', 'community_staff'],
  body: z.object({ fileName: z.string().trim().min(1, { error: '请选择文件' }).max(100, { error: '文件名过长' }) }),
  response: rosterImportViewSchema.extend({
    upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()), maxBytes: z.number(), expiresAt: z.string() }),
  }),
  status: 201,
  photos: 'import',
});

export const postRosterImportStart = route({
  id: 'postRosterImportStart',
  method: 'POST',
  path: '/v1/imports/{importId}/start',
  handler: 'functions/households/post-roster-import-start.ts',
  summary: 'Starts an uploaded import: 202 at once with Location: /v1/imports/{importId}; the imports consumer checks every row, then writes (a second call answers the job as it stands)',
  tag: 'households',
  access: ['admin', 'street_staff', 'community_staff'],
  params: importIdParams,
  response: rosterImportViewSchema,
  status: 202,
  sends: ['imports'],
  photos: 'import',
});

export const getRosterImport = route({
  id: 'getRosterImport',
  method: 'GET',
  path: '/v1/imports/{importId}',
  handler: 'functions/households/get-roster-import.ts',
  summary: 'An import of the caller\'s and its progress: rows checked, households written, errors with line numbers, finished (one Query)',
  tag: 'households',
  access: ['admin', 'street_staff', 'community_staff'],
  params: importIdParams,
  response: rosterImportViewSchema,
  status: 200,
});

export const getMyRosterImports = route({
  id: 'getMyRosterImports',
  method: 'GET',
  path: '/v1/imports',
  handler: 'functions/households/get-my-roster-imports.ts',
  summary: 'The caller\'s last 20 roster imports, newest first (kept 7 days): what each found and wrote',
  tag: 'households',
  access: ['admin', 'street_staff', 'community_staff'],
  response: z.object({ items: rosterImportViewSchema.omit({ errors: true }).array() }),
  status: 200,
});

export const householdRoutes = [postHouseholdImport, postRosterImport, postRosterImportStart, getRosterImport, getMyRosterImports, getGridHouseholds, getHousehold, patchHousehold, getMyVisits, postVisitLog];
