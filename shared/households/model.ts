import * as z from 'zod';

import type { SealedValue } from '../pii/crypto';

export const colours = ['red', 'yellow', 'green'] as const;

export type Colour = (typeof colours)[number];
export const colourNames: Record<Colour, string> = { red: '红灯（每日随访）', yellow: '黄灯（每周跟踪）', green: '绿灯（每月监测）' };

/** A roster import job's phases (import-jobs.ts). */
export const importStatuses = ['awaiting_upload', 'queued', 'checking', 'writing', 'done', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];

/** The managed list of person-level tags. */
export const personTags = [
  'elderly_alone', // 独居老人
  'left_behind_child', // 留守儿童
  'disability', // 残疾
  'low_income', // 低保
  'special_hardship', // 特困供养
  'unemployed', // 失业
  'youth_under_care', // 重点关爱青少年
  'serious_illness', // 大病
  'veteran', // 退役军人
] as const;
export type PersonTag = (typeof personTags)[number];
export const personTagNames: Record<PersonTag, string> = {
  elderly_alone: '独居老人',
  left_behind_child: '留守儿童',
  disability: '残疾人',
  low_income: '低保户',
  special_hardship: '特困供养',
  unemployed: '失业人员',
  youth_under_care: '重点关爱青少年',
  serious_illness: '大病患者',
  veteran: '退役军人',
};

/** Tags that prove economic hardship to the legal-aid centre (免予核查经济困难状况). */
export const hardshipTags: readonly PersonTag[] = ['low_income', 'special_hardship'];

export interface Person {
  personId: string;
  name: string;
  relation: string;
  birthYear?: number;
  tags: PersonTag[];
  idNumber?: SealedValue;
  idMasked?: string;
  idHash?: string;
  phone?: SealedValue;
  phoneMasked?: string;
}

export interface Household {
  householdId: string;
  gridId: string;
  communityId: string;
  address: string;
  residentGroup: string;
  colour: Colour;
  colourReason: string;
  members: Person[];
  /** Union of the members' tags, for filtering a grid's list by tag. */
  tags: PersonTag[];
  pendingColour?: { colour: Colour; reason: string; visitId: string; by: string; at: string };
  /** Hash of the imported content: a re-import of the same roster changes nothing. */
  contentHash: string;
  updatedAt: string;
  version: number;
}

export const householdViewSchema = z.object({
  householdId: z.string(),
  gridId: z.string(),
  communityId: z.string(),
  address: z.string(),
  residentGroup: z.string(),
  colour: z.enum(colours),
  colourName: z.string(),
  colourReason: z.string(),
  tags: z.array(z.enum(personTags)),
  /** The tags as people read them, so that no client keeps its own copy of the names. */
  tagNames: z.array(z.string()),
  pendingColour: z.object({ colour: z.enum(colours), reason: z.string(), visitId: z.string(), by: z.string(), at: z.string() }).nullable(),
  members: z.array(
    z.object({
      personId: z.string(),
      name: z.string(),
      relation: z.string(),
      birthYear: z.number().nullable(),
      tags: z.array(z.enum(personTags)),
      idMasked: z.string().nullable(),
      phoneMasked: z.string().nullable(),
    }),
  ),
  version: z.number(),
});

export function householdView(h: Household) {
  return {
    householdId: h.householdId,
    gridId: h.gridId,
    communityId: h.communityId,
    address: h.address,
    residentGroup: h.residentGroup,
    colour: h.colour,
    colourName: colourNames[h.colour],
    colourReason: h.colourReason,
    tags: h.tags,
    tagNames: h.tags.map((t) => personTagNames[t]),
    pendingColour: h.pendingColour ?? null,
    members: h.members.map((m) => ({
      personId: m.personId,
      name: m.name,
      relation: m.relation,
      birthYear: m.birthYear ?? null,
      tags: m.tags,
      idMasked: m.idMasked ?? null,
      phoneMasked: m.phoneMasked ?? null,
    })),
    version: h.version,
  };
}

export interface Visit {
  visitId: string;
  householdId: string;
  gridId: string;
  communityId: string;
  address: string;
  colour: Colour;
  workerId: string;
  /** yyyy-mm-dd (Beijing) by which the visit is due. */
  dueDate: string;
  period: string;
  status: 'open' | 'done';
  log?: { notes: string; findings: string[]; proposedColour?: Colour; proposedReason?: string; at: string };
  createdAt: string;
}

export const visitViewSchema = z.object({
  visitId: z.string(),
  householdId: z.string(),
  gridId: z.string(),
  address: z.string(),
  colour: z.enum(colours),
  dueDate: z.string(),
  overdue: z.boolean(),
  status: z.enum(['open', 'done']),
});
