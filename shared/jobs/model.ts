import * as z from 'zod';

import { isoDateTime } from '../schemas/common';

export const employerKinds = ['workshop', 'public_welfare', 'transfer'] as const;
export const employerKindNames = { workshop: '扶贫车间', public_welfare: '公益性岗位', transfer: '转移就业' } as const;
export const employmentTypes = ['full_time', 'part_time', 'temporary', 'piecework'] as const;
export const salaryUnits = ['month', 'day', 'piece'] as const;
export const jobStatuses = ['draft', 'open', 'filled', 'closed', 'expired'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const employerSchema = z.object({
  employerId: z.string(),
  name: z.string(),
  kind: z.enum(employerKinds),
  address: z.string(),
  distanceKm: z.number(),
  contact: z.string(),
});
export type Employer = z.infer<typeof employerSchema>;

/** What an employer writes; the rest (employer, dates, counts, status) the system keeps. */
export const jobInputSchema = z.object({
  title: z.string().trim().min(2, { error: '请填写岗位名称' }).max(40),
  description: z.string().trim().min(10, { error: '请描述工作内容（至少 10 个字）' }).max(2000),
  employmentType: z.enum(employmentTypes),
  salary: z
    .object({
      min: z.number().int().min(0),
      max: z.number().int().min(0),
      unit: z.enum(salaryUnits),
      /** Piece rates: what a steady worker earns in a month, as the employer states it. */
      expectedMonthly: z.number().int().min(0).optional(),
    })
    .refine((s) => s.max >= s.min, { error: '最高工资不能低于最低工资', path: ['max'] })
    .refine((s) => s.unit !== 'piece' || s.expectedMonthly !== undefined, { error: '计件工资请填写预计月收入', path: ['expectedMonthly'] }),
  workHours: z.string().trim().min(2).max(100),
  shifts: z.array(z.string().trim().min(1).max(30)).max(5).default([]),
  location: z.object({
    onSite: z.boolean(),
    address: z.string().trim().min(2).max(100),
    distanceKm: z.number().min(0).max(5000),
    /** Where it is on a map (GCJ-02, as WeChat's map uses), for 查看位置. */
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  }),
  openings: z.number().int().min(1).max(1000),
  skills: z.array(z.string().trim().min(1).max(20)).max(10).default([]),
  benefits: z.object({ meals: z.boolean(), housing: z.boolean(), transport: z.boolean() }),
  validThrough: isoDateTime,
  contact: z.string().trim().min(2).max(60),
  /** The hiring line to call (a work number; mobile or landline). */
  contactPhone: z
    .string()
    .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, { error: '请填写手机号或座机号（如 0851-86801234）' })
    .optional(),
});
export type JobInput = z.infer<typeof jobInputSchema>;

export interface Job extends JobInput {
  jobId: string;
  employerId: string;
  employerName: string;
  employerKind: Employer['kind'];
  status: JobStatus;
  datePosted: string;
  hired: number;
  version: number;
  updatedAt: string;
}

export const jobViewSchema = jobInputSchema.safeExtend({
  jobId: z.string(),
  employerId: z.string(),
  employerName: z.string(),
  employerKind: z.enum(employerKinds),
  status: z.enum(jobStatuses),
  datePosted: z.string(),
  hired: z.number(),
  openingsLeft: z.number(),
  /** Monthly equivalent of the upper salary, for comparing day and piece rates. */
  monthlySalaryMax: z.number(),
  version: z.number(),
});
export type JobView = z.infer<typeof jobViewSchema>;

export const applicationStatuses = ['submitted', 'viewed', 'interview', 'offered', 'hired', 'rejected', 'withdrawn'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];
export const applicationStatusNames: Record<ApplicationStatus, string> = {
  submitted: '已投递',
  viewed: '已查看',
  interview: '约面试',
  offered: '已录用待入职',
  hired: '已入职',
  rejected: '未通过',
  withdrawn: '已撤回',
};
export const finalApplicationStatuses: readonly ApplicationStatus[] = ['hired', 'rejected', 'withdrawn'];

/** The pipeline an employer moves an application along (withdrawn is the applicant's own move). */
export const applicationTransitions: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  submitted: ['viewed', 'interview', 'rejected'],
  viewed: ['interview', 'offered', 'rejected'],
  interview: ['offered', 'rejected'],
  offered: ['hired', 'rejected'],
  hired: [],
  rejected: [],
  withdrawn: [],
};

export interface Application {
  applicationId: string;
  jobId: string;
  jobTitle: string;
  employerId: string;
  applicantId: string;
  applicantName: string;
  note?: string;
  status: ApplicationStatus;
  appliedAt: string;
  updatedAt: string;
  history: { status: ApplicationStatus; at: string; by: string; note?: string }[];
  version: number;
}

export const applicationViewSchema = z.object({
  applicationId: z.string(),
  jobId: z.string(),
  jobTitle: z.string(),
  employerId: z.string(),
  applicantId: z.string(),
  applicantName: z.string(),
  note: z.string().optional(),
  status: z.enum(applicationStatuses),
  statusName: z.string(),
  appliedAt: z.string(),
  updatedAt: z.string(),
  history: z.array(z.object({ status: z.enum(applicationStatuses), at: z.string(), by: z.string(), note: z.string().optional() })),
  version: z.number(),
});

/** Monthly equivalent of the upper salary: 26 working days a month; piece rates as the employer states. */
export function monthlyEquivalent(salary: JobInput['salary']): number {
  if (salary.unit === 'month') return salary.max;
  if (salary.unit === 'day') return salary.max * 26;
  return salary.expectedMonthly ?? 0;
}

export function jobView(j: Job): JobView {
  return { ...j, openingsLeft: Math.max(0, j.openings - j.hired), monthlySalaryMax: monthlyEquivalent(j.salary) };
}
