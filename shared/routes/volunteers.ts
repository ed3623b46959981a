import * as z from 'zod';

import { route } from '../http/route';
import { pageOf, pageQuerySchema } from '../schemas/common';
import { userViewSchema } from '../users/model';
import { activityInputSchema, activityTypes, activityViewSchema, applicationStatuses, signupViewSchema } from '../volunteers/model';

const teamIdParam = z.object({ teamId: z.string().regex(/^T\d{2}$/, { error: '服务队编号格式不正确' }) });
const applicationViewSchema = z.object({
  teamId: z.string(),
  teamName: z.string(),
  userId: z.string(),
  name: z.string(),
  skills: z.array(z.string()),
  availability: z.string(),
  note: z.string(),
  status: z.enum(applicationStatuses),
  statusName: z.string(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
});

export const postTeamApplication = route({
  id: 'postTeamApplication',
  method: 'POST',
  path: '/v1/teams/{teamId}/applications',
  handler: 'functions/volunteers/post-team-application.ts',
  summary: '申请成为志愿者: apply to join a team with skills and availability (one open application per team)',
  tag: 'volunteers',
  access: 'authenticated',
  params: teamIdParam,
  body: z.object({
    skills: z.array(z.string().trim().min(1).max(20)).max(10).default([]),
    availability: z.string().trim().min(2, { error: '请说说什么时候有空' }).max(100),
    note: z.string().trim().max(200).optional(),
  }),
  response: applicationViewSchema,
  status: 201,
});

export const getTeamApplications = route({
  id: 'getTeamApplications',
  method: 'GET',
  path: '/v1/teams/{teamId}/applications',
  handler: 'functions/volunteers/get-team-applications.ts',
  summary: 'A team\'s applications by status (pending first for its lead), oldest first',
  tag: 'volunteers',
  access: ['volunteer_lead', 'admin'],
  params: teamIdParam,
  query: pageQuerySchema.extend({ status: z.enum(applicationStatuses).default('pending') }),
  response: pageOf(applicationViewSchema),
  status: 200,
});

export const postTeamApplicationDecision = route({
  id: 'postTeamApplicationDecision',
  method: 'POST',
  path: '/v1/teams/{teamId}/applications/{userId}/decision',
  handler: 'functions/volunteers/post-team-application-decision.ts',
  summary: 'The lead approves (grants the volunteer role, audited) or declines (with a reason) an application',
  tag: 'volunteers',
  access: ['volunteer_lead', 'admin'],
  params: teamIdParam.extend({ userId: z.string().min(1).max(64) }),
  body: z.object({ decision: z.enum(['approve', 'decline']), reason: z.string().trim().max(100).optional() }),
  response: z.object({ application: applicationViewSchema, applicant: userViewSchema.nullable() }),
  sends: ['notifications'],
  status: 200,
});

const activityIdParam = z.object({ activityId: z.string().regex(/^A\d{6}[0-9A-Z]{6}$/, { error: '活动编号格式不正确' }) });

export const getActivities = route({
  id: 'getActivities',
  method: 'GET',
  path: '/v1/activities',
  handler: 'functions/volunteers/get-activities.ts',
  summary: 'Upcoming volunteer activities, soonest first; filter by type, team or day',
  tag: 'volunteers',
  access: 'public',
  query: pageQuerySchema.extend({
    type: z.enum(activityTypes).optional(),
    teamId: z.string().max(16).optional(),
    date: z.iso.date().optional(),
  }),
  response: pageOf(activityViewSchema),
  status: 200,
});

export const getActivity = route({
  id: 'getActivity',
  method: 'GET',
  path: '/v1/activities/{activityId}',
  handler: 'functions/volunteers/get-activity.ts',
  summary: 'One activity with seats left and, when signed in, the caller\'s own status',
  tag: 'volunteers',
  access: 'public',
  params: activityIdParam,
  response: activityViewSchema,
  status: 200,
});

export const postActivity = route({
  id: 'postActivity',
  method: 'POST',
  path: '/v1/activities',
  handler: 'functions/volunteers/post-activity.ts',
  summary: 'Create an activity for one\'s own team (volunteer leads; admins for any team)',
  tag: 'volunteers',
  access: ['volunteer_lead', 'admin'],
  body: activityInputSchema,
  response: activityViewSchema.extend({ checkinCode: z.string() }),
  status: 201,
});

export const postSignup = route({
  id: 'postSignup',
  method: 'POST',
  path: '/v1/activities/{activityId}/signups',
  handler: 'functions/volunteers/post-signup.ts',
  summary: 'Sign up: a seat while any is left, else a waitlist position; signing up again confirms an offered seat',
  tag: 'volunteers',
  access: ['volunteer'],
  params: activityIdParam,
  response: signupViewSchema,
  status: 201,
});

export const deleteMySignup = route({
  id: 'deleteMySignup',
  method: 'DELETE',
  path: '/v1/activities/{activityId}/signups/me',
  handler: 'functions/volunteers/delete-my-signup.ts',
  summary: 'Cancel one\'s sign-up; a freed seat goes to the first on the waitlist',
  tag: 'volunteers',
  access: ['volunteer'],
  params: activityIdParam,
  response: signupViewSchema,
  status: 200,
  sends: ['signups'],
});

export const postCheckin = route({
  id: 'postCheckin',
  method: 'POST',
  path: '/v1/activities/{activityId}/checkins',
  handler: 'functions/volunteers/post-checkin.ts',
  summary: 'Check in or out with the code the lead shows (QR); check-out computes service minutes',
  tag: 'volunteers',
  access: ['volunteer'],
  params: activityIdParam,
  body: z.object({ code: z.string().trim().min(4).max(16), kind: z.enum(['in', 'out']) }),
  response: signupViewSchema,
  status: 200,
});

export const getMySignups = route({
  id: 'getMySignups',
  method: 'GET',
  path: '/v1/me/signups',
  handler: 'functions/volunteers/get-my-signups.ts',
  summary: 'The caller\'s sign-ups, latest activity first',
  tag: 'volunteers',
  access: 'authenticated',
  query: pageQuerySchema,
  response: pageOf(signupViewSchema),
  status: 200,
});

export const getMyVolunteerHours = route({
  id: 'getMyVolunteerHours',
  method: 'GET',
  path: '/v1/me/volunteer-hours',
  handler: 'functions/volunteers/get-my-volunteer-hours.ts',
  summary: 'Total service hours with a shareable certificate-style summary',
  tag: 'volunteers',
  access: 'authenticated',
  response: z.object({ userId: z.string(), totalMinutes: z.number(), totalHours: z.number(), activities: z.number(), certificate: z.string() }),
  status: 200,
});

export const volunteerRoutes = [getActivities, getActivity, postActivity, postSignup, deleteMySignup, postCheckin, getMySignups, getMyVolunteerHours, postTeamApplication, getTeamApplications, postTeamApplicationDecision];
