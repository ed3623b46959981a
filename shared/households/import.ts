import { createHash } from 'node:crypto';

import { parse } from 'csv-parse/sync';
import * as z from 'zod';

import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { batchPut } from '../db/batch';
import type { TransactItem } from '../db/conditions';
import { keys } from '../db/keys';
import { type ErrorDetail,ValidationError } from '../errors';
import { getGrid, listGridIds } from '../org/repository';
import { lookupHash, seal } from '../pii/crypto';
import { validIdNumber } from '../pii/id-number';
import { maskIdNumber, maskPhone, redactText } from '../pii/redact';
import { type CounterDelta, counterDelta, type CounterUpdate, deltaPuts, foldCounterDeltas } from '../stats/counters';
import { householdRows } from './figures';
import { type Colour, hardshipTags, type Household, type Person, type PersonTag, personTagNames, personTags } from './model';
import { colourChangeItem, getHouseholds, householdItem, listGridHouseholds, writeImportChunk } from './repository';
import { rosterColumns } from './roster-columns';
import { replanGrids } from './use-cases';

/** Chunks written at once (each a transaction of up to 99 items). */
const importConcurrency = 8;

const colourAliases: Record<string, Colour> = { red: 'red', yellow: 'yellow', green: 'green', 红: 'red', 黄: 'yellow', 绿: 'green', 红灯: 'red', 黄灯: 'yellow', 绿灯: 'green' };
/** A tag by its code, its name, or the short name staff write in a cell (低保 for 低保户). */
const tagAliases: Record<string, PersonTag> = Object.fromEntries([
  ...personTags.map((t) => [t, t]),
  ...Object.entries(personTagNames).map(([k, v]) => [v, k]),
  ['低保', 'low_income'],
  ['特困', 'special_hardship'],
  ['残疾', 'disability'],
  ['独居', 'elderly_alone'],
  ['留守', 'left_behind_child'],
  ['失业', 'unemployed'],
  ['退役', 'veteran'],
]) as Record<string, PersonTag>;

/** GB 11643-1999: 17 digits and a check character. */

const rowSchema = z.object({
  household_id: z.string().trim().regex(/^[A-Za-z0-9-]{4,32}$/, { error: '户编号应为 4-32 位字母、数字或 -' }),
  grid_id: z.string().trim().regex(/^G\d{3}$/, { error: '网格编号格式应为 G001' }),
  address: z.string().trim().min(2, { error: '请填写住址' }).max(100),
  resident_group: z.string().trim().max(30).default(''),
  colour: z
    .string()
    .trim()
    .transform((c, ctx) => {
      const v = colourAliases[c];
      if (!v) ctx.addIssue({ code: 'custom', message: '颜色应为 红/黄/绿 或 red/yellow/green' });
      return v ?? 'green';
    }),
  colour_reason: z.string().trim().max(200).default(''),
  name: z.string().trim().min(1, { error: '请填写姓名' }).max(20),
  relation: z.string().trim().min(1, { error: '请填写与户主关系' }).max(10),
  id_number: z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => v === '' || validIdNumber(v), { error: '身份证号码不正确（18 位，校验位不符）' }),
  phone: z
    .string()
    .trim()
    .refine((v) => v === '' || /^1[3-9]\d{9}$/.test(v), { error: '手机号码应为 11 位' }),
  birth_year: z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d{4}$/.test(v) && Number(v) >= 1900 && Number(v) <= 2100), { error: '出生年份应为 4 位数字' }),
  tags: z
    .string()
    .trim()
    .transform((raw, ctx) => {
      const parts = raw.split(/[;；,，、]/).map((t) => t.trim()).filter(Boolean);
      const out: PersonTag[] = [];
      for (const p of parts) {
        const t = tagAliases[p];
        if (t) out.push(t);
        // The cell is echoed to help fix the file; a number typed into it is echoed masked.
        else ctx.addIssue({ code: 'custom', message: `未知标签「${redactText(p)}」` });
      }
      return [...new Set(out)];
    }),
});
type Row = z.output<typeof rowSchema>;

export interface ImportResult {
  households: number;
  members: number;
  created: number;
  updated: number;
  unchanged: number;
}

const maxReportedErrors = 200;
const householdFields = ['grid_id', 'address', 'resident_group', 'colour', 'colour_reason'] as const;

/** A roster whose every row passed: its households (rows in file order) and the grids they name. */
export interface CheckedRoster {
  rows: number;
  byHousehold: Map<string, { line: number; row: Row }[]>;
  grids: Map<string, { gridId: string; communityId: string }>;
}

/** What checking found: the roster, or every fault (the first 200 with their line and column) and how many. */
export type RosterCheck = { ok: true; roster: CheckedRoster } | { ok: false; errors: ErrorDetail[]; errorCount: number; message: string };

/**
 * Checks every row of a roster before anything is written: the CSV's shape, each cell, one id
 * number per person, the household columns the same on every row of a household, and grids that
 * exist within the importer's reach.
 */
export async function checkRoster(p: Principal, csv: string): Promise<RosterCheck> {
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true, trim: false }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return invalid([{ field: `line ${line ?? '?'}`, reason: 'malformed_csv', message: `CSV 格式错误：${redactText((err as Error).message.slice(0, 120))}` }], '花名册文件格式有误');
  }
  const [header, ...rows] = records;
  const missing = rosterColumns.filter((c) => !header?.includes(c));
  if (!header || missing.length) {
    return invalid(missing.map((c) => ({ field: `line 1.${c}`, reason: 'missing_column', message: `缺少列 ${c}` })), '花名册缺少必需的列');
  }

  const errors: ErrorDetail[] = [];
  const byHousehold = new Map<string, { line: number; row: Row }[]>();
  const seenIds = new Map<string, number>();
  const allowedCommunity = hasRole(p, 'admin', 'street_staff') ? null : p.communityId;
  for (const [i, cells] of rows.entries()) {
    const line = i + 2;
    const raw = Object.fromEntries(header.map((h, j) => [h, cells[j] ?? '']));
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ field: `line ${line}.${String(issue.path[0] ?? '')}`, reason: issue.code, message: issue.message });
      continue;
    }
    const row = parsed.data;
    if (row.id_number) {
      const first = seenIds.get(row.id_number);
      if (first) errors.push({ field: `line ${line}.id_number`, reason: 'duplicate', message: `身份证号码与第 ${first} 行重复` });
      else seenIds.set(row.id_number, line);
    }
    const group = byHousehold.get(row.household_id) ?? [];
    const first = group[0];
    if (first) {
      for (const f of householdFields) {
        if (JSON.stringify(first.row[f]) !== JSON.stringify(row[f])) {
          errors.push({ field: `line ${line}.${f}`, reason: 'inconsistent', message: `同一户的「${f}」与第 ${first.line} 行不一致` });
        }
      }
    }
    group.push({ line, row });
    byHousehold.set(row.household_id, group);
  }
  // Grids exist and are within the importer's reach.
  const gridIds = [...new Set([...byHousehold.values()].map((g) => g[0]!.row.grid_id))];
  const found = await Promise.all(gridIds.map(async (id) => [id, await getGrid(id)] as const));
  const grids = new Map<string, { gridId: string; communityId: string }>();
  for (const [id, grid] of found) if (grid) grids.set(id, grid);
  for (const group of byHousehold.values()) {
    const { line, row } = group[0]!;
    const grid = grids.get(row.grid_id);
    if (!grid) errors.push({ field: `line ${line}.grid_id`, reason: 'not_found', message: `网格 ${row.grid_id} 不存在` });
    else if (allowedCommunity !== null && grid.communityId !== allowedCommunity) {
      errors.push({ field: `line ${line}.grid_id`, reason: 'out_of_scope', message: `网格 ${row.grid_id} 不属于您的社区` });
    }
  }
  if (errors.length) return invalid(errors, `花名册有 ${errors.length} 处错误，未导入任何数据，请修改后重新上传`);
  return { ok: true, roster: { rows: rows.length, byHousehold, grids } };
}

function invalid(errors: ErrorDetail[], message: string): RosterCheck {
  return { ok: false, errors: errors.slice(0, maxReportedErrors), errorCount: errors.length, message };
}

/** One transaction's worth of one grid's households: their items and what they change in the figures. */
export interface ImportChunk {
  /** The first household's id: names the chunk (a resumed import never writes it again). */
  firstHouseholdId: string;
  items: Record<string, unknown>[];
  updates: CounterUpdate[];
  created: number;
  updated: number;
}

/** What an import will write: the households that changed, in chunks, and the grids they touch. */
export interface RosterPlan {
  result: ImportResult;
  chunks: ImportChunk[];
  grids: string[];
}

/**
 * A marker for each member tagged 低保 or 特困 with an ID number: a legal-aid application by that
 * person needs no proof of hardship (免予核查). Only ever put: the application reads the household
 * again, so a marker an older roster left grants nothing.
 */
function hardshipMarkers(h: Household): Record<string, unknown>[] {
  return h.members
    .filter((m) => m.idHash && m.tags.some((t) => hardshipTags.includes(t)))
    .map((m) => ({ ...keys.hardshipPerson(m.idHash!), type: 'HardshipPerson', householdId: h.householdId, personId: m.personId }));
}

/**
 * The markers of households written before markers existed (an operator's one-off after deploying,
 * `npm run backfill-hardship`; the local seed runs it on an older store): one Query a grid and
 * tag, then batched puts.
 */
export async function backfillHardshipMarkers(): Promise<{ grids: number; markers: number }> {
  const gridIds = await listGridIds();
  let markers = 0;
  for (const gridId of gridIds) {
    for (const tag of hardshipTags) {
      let cursor: string | undefined;
      do {
        const page = await listGridHouseholds(gridId, undefined, tag, 100, cursor);
        const items = page.items.flatMap(hardshipMarkers);
        await batchPut(items);
        markers += items.length;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
  }
  return { grids: gridIds.length, markers };
}

/**
 * Plans the writes of a checked roster: households whose content did not change (their content
 * hash matches) are left alone, so importing the same file twice — or resuming an import that
 * stopped part-way — writes only what is not yet there. `reserve` items of each transaction are
 * kept for the caller's own (an import job's progress marker).
 */
export async function planRoster(p: Principal, roster: CheckedRoster, now: Date, reserve = 0): Promise<RosterPlan> {
  const existing = await getHouseholds([...roster.byHousehold.keys()]);
  const byGrid = new Map<string, { householdId: string; items: Record<string, unknown>[]; updates: CounterUpdate[]; created: boolean }[]>();
  const result: ImportResult = { households: roster.byHousehold.size, members: roster.rows, created: 0, updated: 0, unchanged: 0 };
  const at = now.toISOString();
  for (const [householdId, group] of roster.byHousehold) {
    const head = group[0]!.row;
    const contentHash = createHash('sha256').update(JSON.stringify(group.map((g) => g.row))).digest('base64url');
    const before = existing.get(householdId);
    if (before?.contentHash === contentHash) {
      result.unchanged++;
      continue;
    }
    const grid = roster.grids.get(head.grid_id)!;
    const members: Person[] = await Promise.all(
      group.map(async ({ row }, n) => ({
        personId: `${householdId}-${n + 1}`,
        name: row.name,
        relation: row.relation,
        ...(row.birth_year ? { birthYear: Number(row.birth_year) } : row.id_number ? { birthYear: Number(row.id_number.slice(6, 10)) } : {}),
        tags: row.tags,
        ...(row.id_number ? { idNumber: await seal(row.id_number), idMasked: maskIdNumber(row.id_number), idHash: await lookupHash('id', row.id_number) } : {}),
        ...(row.phone ? { phone: await seal(row.phone), phoneMasked: maskPhone(row.phone) } : {}),
      })),
    );
    const h: Household = {
      householdId,
      gridId: grid.gridId,
      communityId: grid.communityId,
      address: head.address,
      residentGroup: head.resident_group,
      colour: head.colour,
      colourReason: head.colour_reason,
      members,
      tags: [...new Set(members.flatMap((m) => m.tags))],
      contentHash,
      updatedAt: at,
      version: (before?.version ?? 0) + 1,
    };
    const items = [householdItem(h), ...hardshipMarkers(h)];
    if (!before || before.colour !== h.colour) {
      items.push(colourChangeItem(householdId, at, h.version, { from: before?.colour ?? null, to: h.colour, reason: h.colourReason || '花名册导入', by: p.userId }));
    }
    const updates = householdRows(h, { [h.colour]: 1 });
    if (before) {
      result.updated++;
      updates.push(...householdRows(before, { [before.colour]: -1 }));
    } else result.created++;
    byGrid.set(h.gridId, [...(byGrid.get(h.gridId) ?? []), { householdId, items, updates, created: !before }]);
  }
  // Each chunk is one grid's households (at most 98 items with the figures' delta and the
  // caller's reserve): one transaction, so a household is never half written and the figures
  // always agree with the households written.
  const maxItems = 98 - reserve;
  const chunks: ImportChunk[] = [];
  for (const households of byGrid.values()) {
    let chunk: ImportChunk | null = null;
    for (const hh of households) {
      if (!chunk || chunk.items.length + hh.items.length > maxItems) {
        chunk = { firstHouseholdId: hh.householdId, items: [], updates: [], created: 0, updated: 0 };
        chunks.push(chunk);
      }
      chunk.items.push(...hh.items);
      chunk.updates.push(...hh.updates);
      if (hh.created) chunk.created++;
      else chunk.updated++;
    }
  }
  return { result, chunks, grids: [...byGrid.keys()] };
}

/**
 * Writes a plan: each chunk with its figures' delta (and `alsoWith(chunk)`, the caller's items)
 * in one transaction, `importConcurrency` at a time; the deltas are folded together at the end.
 * The changed grids' weekly and monthly visit plans are made again by the next daily run:
 * cleared before the writes (a crash part-way still leaves them to be re-planned) and after (a
 * plan that ran meanwhile may have missed the households written since).
 */
export async function writeRoster(plan: RosterPlan, now: Date, alsoWith: (chunk: ImportChunk) => TransactItem[] = () => []): Promise<void> {
  await replanGrids(plan.grids, now);
  const deltas: CounterDelta[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(importConcurrency, plan.chunks.length) }, async () => {
      while (next < plan.chunks.length) {
        const chunk = plan.chunks[next++]!;
        const delta = counterDelta(chunk.updates);
        await writeImportChunk(chunk.items, [...deltaPuts(delta), ...alsoWith(chunk)]);
        if (delta) deltas.push(delta);
      }
    }),
  );
  // A delta not folded (a crash here) is folded by the reconcile schedule: the figures catch up.
  await foldCounterDeltas(deltas);
  await replanGrids(plan.grids, now);
}

/**
 * Imports a roster all-or-nothing at once (the synchronous route, for a community's file): any
 * bad row (its line number and column named) and nothing is written. Households whose content
 * did not change are left alone, so importing the same file twice changes nothing. A sub-district's
 * file goes through an import job (import-jobs.ts), off the request path.
 */
export async function importRoster(p: Principal, csv: string, now = new Date()): Promise<ImportResult> {
  const check = await checkRoster(p, csv);
  if (!check.ok) throw new ValidationError(check.errors, check.message);
  const plan = await planRoster(p, check.roster, now);
  await writeRoster(plan, now);
  return plan.result;
}
