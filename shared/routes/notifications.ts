import * as z from 'zod';

import { route } from '../http/route';
import { pageOf, pageQuerySchema } from '../schemas/common';

const noticeSchema = z.object({
  notificationId: z.string(),
  title: z.string(),
  text: z.string(),
  page: z.string().nullable().meta({ description: 'Mini-program page to open (a deep link of shared/links.ts)' }),
  at: z.string(),
  read: z.boolean(),
});

export const getMyNotifications = route({
  id: 'getMyNotifications',
  method: 'GET',
  path: '/v1/me/notifications',
  handler: 'functions/notifications/get-my-notifications.ts',
  summary: '我的消息: every notification the caller was sent, newest first, with the unread count',
  tag: 'notifications',
  access: 'authenticated',
  query: pageQuerySchema,
  response: pageOf(noticeSchema).extend({ unread: z.number().int() }),
  status: 200,
});

export const postNotificationsRead = route({
  id: 'postNotificationsRead',
  method: 'POST',
  path: '/v1/me/notifications/read',
  handler: 'functions/notifications/post-notifications-read.ts',
  summary: 'Mark all of the caller\'s notifications read',
  tag: 'notifications',
  access: 'authenticated',
  response: z.object({ unread: z.number().int() }),
  status: 200,
});

export const notificationRoutes = [getMyNotifications, postNotificationsRead];
