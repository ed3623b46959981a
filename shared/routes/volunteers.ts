import * as z from 'zod';
import { route } from '../http/route';
import { pageOf, pageQuerySchema } from '../schemas/common';
import { activityInputSchema, activityTypes, activityViewSchema, signupViewSchema } from '../volunteers/model';

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

export const volunteerRoutes = [getActivities, getActivity, postActivity, postSignup, deleteMySignup, postCheckin, getMySignups, getMyVolunteerHours];
