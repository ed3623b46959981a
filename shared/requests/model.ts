import * as z from 'zod';

import type { SealedValue } from '../pii/crypto';

/** Lifecycle of a request. `closed` is an end state, never counted as resolved by itself. */
export const requestStatuses = ['submitted', 'assigned', 'in_progress', 'resolved', 'closed'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

/** The three-level grid, plus the legal service centre that takes legal aid. */
export const levels = ['grid', 'community', 'street', 'legal'] as const;
export type Level = (typeof levels)[number];
export const levelNames: Record<Level, string> = { grid: '网格', community: '社区', street: '街道', legal: '公共法律服务中心' };

export const outcomes = ['resolved', 'not_resolved', 'referred', 'duplicate', 'withdrawn'] as const;
export type Outcome = (typeof outcomes)[number];

export interface Mediation {
  parties?: string[];
  mediatorId?: string;
  agreementTerms?: string;
  agreementDeadline?: string;
  agreedAt?: string;
  followUps?: number;
}

export interface ServiceRequest {
  requestId: string;
  typeCode: string;
  requesterId: string;
  description: string;
  fields: Record<string, unknown>;
  photos: string[];
  addressText?: string;
  /** Grid given by the resident when they have no household on file. */
  requestedGridId?: string;
  gridId?: string;
  communityId?: string;
  streetId?: string;
  level?: Level;
  assigneeId?: string;
  /** Kept with the assignment, so that the resident reads who handles it without another read. */
  assigneeName?: string;
  informedIds?: string[];
  status: RequestStatus;
  private: boolean;
  outcome?: Outcome;
  duplicateOf?: string;
  mediation?: Mediation;
  rating?: { score: number; comment?: string; at: string };
  createdAt: string;
  assignedAt?: string;
  acceptedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  acceptDueAt?: string;
  resolveDueAt?: string;
  escalations: number;
  reopenCount: number;
  /** Set when the request passed a deadline at the top level (nothing left to escalate to). */
  breachedAtTop?: boolean;
  /** When it first passed a deadline (to accept or to resolve); kept for good: it was closed late. */
  overdueAt?: string;
  /**
   * 代办: submitted by a grid worker for a household member without a phone. The request is that
   * person's (`requesterId` = `person-<householdId>-<personId>`); the worker is recorded as the one
   * who submitted it; the household's members who use the app follow it (`followerIds`).
   */
  onBehalf?: { householdId: string; personId: string; name: string; submittedBy: string; submittedByName: string };
  /** Users who read, are told about, and may confirm or rate the request besides its requester. */
  followerIds?: string[];
  /**
   * Filed by another system through Open311 (the 12345 hotline, a partner app): which, under which
   * API key, the token it was answered with, and the contact it gave (the phone sealed), which only
   * that partner and the staff handling the request read.
   */
  channel?: { kind: 'hotline_12345' | 'partner'; partner: string; keyId: string; token: string };
  partnerContact?: { name?: string; phone?: SealedValue; phoneMasked?: string; email?: string };
  version: number;
}

/**
 * How long a resident has to confirm or reopen a resolved request. After it, the SLA sweep
 * closes the request: a resident who never answers must not leave it open for ever.
 */
export const reopenWindowMs = 7 * 24 * 60 * 60_000;

/** When a resolved request closes by itself. */
export function reopenEnds(resolvedAt: string): string {
  return new Date(Date.parse(resolvedAt) + reopenWindowMs).toISOString();
}

export const eventKinds = [
  'submitted',
  'assigned',
  'accepted',
  'commented',
  'escalated',
  'reassigned',
  'resolved',
  'confirmed',
  'reopened',
  'rated',
  'duplicate',
  'mediation_recorded',
  'follow_up',
  'closed',
  'overdue',
] as const;
export type EventKind = (typeof eventKinds)[number];

export interface TimelineEvent {
  seq: number;
  kind: EventKind;
  at: string;
  actorId: string;
  /** Chinese text shown on the timeline. */
  text: string;
  data?: Record<string, unknown>;
}

export const timelineEventSchema = z.object({
  seq: z.number(),
  kind: z.enum(eventKinds),
  at: z.string(),
  actorId: z.string(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const requestViewSchema = z.object({
  requestId: z.string(),
  /** Whose request it is: a handler reaches them by phone only through the audited contact reveal. */
  requesterId: z.string(),
  /** 代办: the household member it is for and the grid worker who submitted it. */
  onBehalfOf: z.object({ name: z.string(), submittedByName: z.string() }).nullable(),
  /** Filed by another system (Open311): which, and who called (phone masked; the full number through the audited reveal). */
  filedBy: z.object({ channel: z.string(), callerName: z.string().nullable(), callerPhoneMasked: z.string().nullable() }).nullable(),
  typeCode: z.string(),
  typeName: z.string(),
  status: z.enum(requestStatuses),
  statusName: z.string(),
  description: z.string(),
  fields: z.record(z.string(), z.unknown()),
  photos: z.array(z.string()),
  addressText: z.string().nullable(),
  gridId: z.string().nullable(),
  level: z.enum(levels).nullable(),
  assigneeId: z.string().nullable(),
  /** Who handles it now, as the resident reads it (null while nobody holds it). */
  assigneeName: z.string().nullable(),
  private: z.boolean(),
  outcome: z.enum(outcomes).nullable(),
  duplicateOf: z.string().nullable(),
  mediation: z.record(z.string(), z.unknown()).nullable(),
  rating: z.object({ score: z.number(), comment: z.string().optional(), at: z.string() }).nullable(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** When the resident can expect it done. */
  expectedBy: z.string().nullable(),
  overdue: z.boolean(),
  escalations: z.number(),
  reopenUntil: z.string().nullable(),
  version: z.number(),
});
export type RequestView = z.infer<typeof requestViewSchema>;

export const statusNames: Record<RequestStatus, string> = {
  submitted: '已提交',
  assigned: '待受理',
  in_progress: '办理中',
  resolved: '已办结待确认',
  closed: '已关闭',
};
