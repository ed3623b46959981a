import * as z from 'zod';

import { route } from '../http/route';
import { applicationStatuses, applicationViewSchema, employerKinds, employmentTypes, jobInputSchema, jobStatuses, jobViewSchema } from '../jobs/model';
import { pageOf, pageQuerySchema } from '../schemas/common';

const jobIdParam = z.object({ jobId: z.string().regex(/^J\d{6}[0-9A-Z]{6}$/, { error: '岗位编号格式不正确' }) });

export const getJobs = route({
  id: 'getJobs',
  method: 'GET',
  path: '/v1/jobs',
  handler: 'functions/jobs/get-jobs.ts',
  summary: 'Open jobs, newest first; filter by employer kind, employer, employment type, minimum monthly salary, keyword in the title',
  tag: 'jobs',
  access: 'public',
  query: pageQuerySchema.extend({
    employerKind: z.enum(employerKinds).optional(),
    employerId: z.string().max(32).optional(),
    employmentType: z.enum(employmentTypes).optional(),
    minSalary: z.coerce.number().int().min(0).max(100_000).optional(),
    keyword: z.string().trim().min(1).max(20).optional(),
  }),
  response: pageOf(jobViewSchema),
  status: 200,
});

export const getJob = route({
  id: 'getJob',
  method: 'GET',
  path: '/v1/jobs/{jobId}',
  handler: 'functions/jobs/get-job.ts',
  summary: 'One job; ?format=jsonld gives schema.org JobPosting JSON-LD',
  tag: 'jobs',
  access: 'public',
  params: jobIdParam,
  query: z.object({ format: z.enum(['json', 'jsonld']).default('json') }),
  response: z.union([jobViewSchema, z.record(z.string(), z.unknown())]),
  status: 200,
});

export const getEmployerJobs = route({
  id: 'getEmployerJobs',
  method: 'GET',
  path: '/v1/employers/{employerId}/jobs',
  handler: 'functions/jobs/get-employer-jobs.ts',
  summary: 'An employer\'s own jobs in every status (drafts, open, filled, closed, expired), newest first',
  tag: 'jobs',
  access: ['employer', 'admin'],
  params: z.object({ employerId: z.string().min(1).max(32) }),
  query: pageQuerySchema.extend({ status: z.enum(jobStatuses).optional() }),
  response: pageOf(jobViewSchema),
  status: 200,
});

export const postJob = route({
  id: 'postJob',
  method: 'POST',
  path: '/v1/jobs',
  handler: 'functions/jobs/post-job.ts',
  summary: 'Post a job (employers for their own workshop; admins for any employer)',
  tag: 'jobs',
  access: ['employer', 'admin'],
  body: jobInputSchema.safeExtend({ employerId: z.string().max(32).optional(), status: z.enum(['draft', 'open']).optional() }),
  response: jobViewSchema,
  status: 201,
});

export const patchJob = route({
  id: 'patchJob',
  method: 'PATCH',
  path: '/v1/jobs/{jobId}',
  handler: 'functions/jobs/patch-job.ts',
  summary: 'Edit, publish or close one\'s own job',
  tag: 'jobs',
  access: ['employer', 'admin'],
  params: jobIdParam,
  body: jobInputSchema.partial().safeExtend({ status: z.enum(['draft', 'open', 'closed']).optional() }),
  response: jobViewSchema,
  status: 200,
});

export const postApplication = route({
  id: 'postApplication',
  method: 'POST',
  path: '/v1/jobs/{jobId}/applications',
  handler: 'functions/jobs/post-application.ts',
  summary: 'Apply for a job: one application per person per job',
  tag: 'jobs',
  access: ['resident', 'volunteer'],
  params: jobIdParam,
  body: z.object({ note: z.string().trim().max(300).optional() }),
  response: applicationViewSchema,
  status: 201,
});

export const getMyApplications = route({
  id: 'getMyApplications',
  method: 'GET',
  path: '/v1/me/applications',
  handler: 'functions/jobs/get-my-applications.ts',
  summary: 'The caller\'s applications with their status and history, newest first',
  tag: 'jobs',
  access: 'authenticated',
  query: pageQuerySchema,
  response: pageOf(applicationViewSchema),
  status: 200,
});

export const getJobApplications = route({
  id: 'getJobApplications',
  method: 'GET',
  path: '/v1/jobs/{jobId}/applications',
  handler: 'functions/jobs/get-job-applications.ts',
  summary: 'Applications for one of the employer\'s jobs, newest first',
  tag: 'jobs',
  access: ['employer', 'admin'],
  params: jobIdParam,
  query: pageQuerySchema,
  response: pageOf(applicationViewSchema),
  status: 200,
});

export const patchApplication = route({
  id: 'patchApplication',
  method: 'PATCH',
  path: '/v1/applications/{applicationId}',
  handler: 'functions/jobs/patch-application.ts',
  summary: 'Move an application along the pipeline (employer), or withdraw it (applicant)',
  tag: 'jobs',
  access: 'authenticated',
  params: z.object({ applicationId: z.string().min(3).max(120) }),
  body: z.object({ status: z.enum(applicationStatuses).exclude(['submitted']), note: z.string().trim().max(300).optional() }),
  response: applicationViewSchema,
  status: 200,
  sends: ['notifications'],
});

export const jobRoutes = [getJobs, getJob, getEmployerJobs, postJob, patchJob, postApplication, getMyApplications, getJobApplications, patchApplication];
