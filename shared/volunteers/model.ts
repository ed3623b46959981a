import * as z from 'zod';

import { isoDateTime } from '../schemas/common';

export const activityTypes = ['clinic', 'small_service', 'youth_education', 'elderly_care'] as const;
export const activityTypeNames = { clinic: '义诊', small_service: '小微服务', youth_education: '青少年教育', elderly_care: '居家养老' } as const;
export type ActivityType = (typeof activityTypes)[number];

export const activityInputSchema = z
  .object({
    teamId: z.string().min(1).max(16).optional(),
    type: z.enum(activityTypes),
    title: z.string().trim().min(2).max(40),
    description: z.string().trim().min(5).max(1000),
    startAt: isoDateTime,
    endAt: isoDateTime,
    place: z.string().trim().min(2).max(100),
    /** Where the place is on a map (GCJ-02), for 查看位置. */
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    capacity: z.number().int().min(1).max(5000),
    requiredSkills: z.array(z.string().trim().min(1).max(20)).max(10).default([]),
    signupDeadline: isoDateTime,
    beneficiaries: z.string().trim().max(100).default(''),
  })
  .refine((a) => Date.parse(a.endAt) > Date.parse(a.startAt), { error: '结束时间要晚于开始时间', path: ['endAt'] })
  .refine((a) => Date.parse(a.signupDeadline) <= Date.parse(a.startAt), { error: '报名截止时间不能晚于活动开始', path: ['signupDeadline'] });
export type ActivityInput = z.infer<typeof activityInputSchema>;

/** Stored activity. `activityType`, not `type`: every item's `type` names its entity. */
export interface Activity extends Omit<ActivityInput, 'teamId' | 'type'> {
  activityType: ActivityType;
  activityId: string;
  teamId: string;
  teamName: string;
  status: 'open' | 'cancelled' | 'finished';
  /** Seats taken (confirmed and offered). */
  confirmed: number;
  /** Last waitlist position handed out; positions are 1, 2, 3, … in sign-up order. */
  waitSeq: number;
  /** userId -> signed-up time (seat holders). */
  members: Record<string, string>;
  /** userId -> waitlist position. */
  waitPos: Record<string, number>;
  checkinCode: string;
  createdBy: string;
  createdAt: string;
  version: number;
}

export const signupStatuses = ['confirmed', 'offered', 'waitlisted', 'cancelled', 'no_show'] as const;
export type SignupStatus = (typeof signupStatuses)[number];
export const signupStatusNames: Record<SignupStatus, string> = {
  confirmed: '已报名',
  offered: '候补转正待确认',
  waitlisted: '候补中',
  cancelled: '已取消',
  no_show: '未到场',
};

export interface Signup {
  activityId: string;
  userId: string;
  activityTitle: string;
  activityType: ActivityType;
  teamId: string;
  startAt: string;
  endAt: string;
  status: SignupStatus;
  /** Waitlist position at sign-up (the current rank is computed from the activity). */
  position?: number;
  confirmBy?: string;
  checkedInAt?: string;
  checkedOutAt?: string;
  minutes?: number;
  createdAt: string;
  updatedAt: string;
}

export const signupViewSchema = z.object({
  activityId: z.string(),
  userId: z.string(),
  activityTitle: z.string(),
  activityType: z.enum(activityTypes),
  teamId: z.string(),
  startAt: z.string(),
  endAt: z.string(),
  status: z.enum(signupStatuses),
  statusName: z.string(),
  position: z.number().optional(),
  confirmBy: z.string().optional(),
  checkedInAt: z.string().optional(),
  checkedOutAt: z.string().optional(),
  minutes: z.number().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const activityViewSchema = z.object({
  activityId: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  type: z.enum(activityTypes),
  typeName: z.string(),
  title: z.string(),
  description: z.string(),
  startAt: z.string(),
  endAt: z.string(),
  place: z.string(),
  latitude: z.number().nullable().optional(),
  longitude: z.number().nullable().optional(),
  capacity: z.number(),
  seatsLeft: z.number(),
  waitlisted: z.number(),
  requiredSkills: z.array(z.string()),
  signupDeadline: z.string(),
  beneficiaries: z.string(),
  status: z.enum(['open', 'cancelled', 'finished']),
  /** The caller's own status, when signed in. */
  myStatus: z.enum(signupStatuses).nullable().optional(),
  /** The caller's current place on the waitlist. */
  myWaitlistRank: z.number().nullable().optional(),
  /** The caller's check-in and check-out, and the minutes served then. */
  myCheckedInAt: z.string().nullable().optional(),
  myCheckedOutAt: z.string().nullable().optional(),
  myMinutes: z.number().nullable().optional(),
  /** Shown only to the team's lead: the QR content volunteers scan to check in and out. */
  checkinCode: z.string().optional(),
});
export type ActivityView = z.infer<typeof activityViewSchema>;

export function activityView(a: Activity): ActivityView {
  return {
    activityId: a.activityId,
    teamId: a.teamId,
    teamName: a.teamName,
    type: a.activityType,
    typeName: activityTypeNames[a.activityType],
    title: a.title,
    description: a.description,
    startAt: a.startAt,
    endAt: a.endAt,
    place: a.place,
    latitude: a.latitude ?? null,
    longitude: a.longitude ?? null,
    capacity: a.capacity,
    seatsLeft: Math.max(0, a.capacity - a.confirmed),
    waitlisted: Object.keys(a.waitPos ?? {}).length,
    requiredSkills: a.requiredSkills,
    signupDeadline: a.signupDeadline,
    beneficiaries: a.beneficiaries,
    status: a.status,
  };
}

/** A resident's application to join a team (shared/volunteers/applications.ts). */
export const applicationStatuses = ['pending', 'approved', 'declined'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];
export const applicationStatusNames: Record<ApplicationStatus, string> = { pending: '等待审核', approved: '已通过', declined: '未通过' };
