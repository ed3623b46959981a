import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import type { Principal } from '../auth/principal';
import { ddb } from '../aws';
import { config } from '../config';
import { isConditionFailure } from '../db/conditions';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import { beijingText } from '../time';
import type { NotificationTemplate } from './templates';

/**
 * 我的消息: every notification a user was sent, kept by the server. WeChat subscribe messages are
 * one-time and may never be accepted or delivered, so the app shows this list, with an unread
 * count, whatever happened to the message.
 */
const titles: Record<NotificationTemplate, string> = {
  request_assigned: '有新的诉求待您受理',
  request_informed: '有诉求需要您知悉',
  request_status: '您的诉求有新进展',
  request_overdue: '诉求已超时',
  application_status: '求职进度更新',
  signup_status: '志愿活动报名更新',
  activity_reminder: '志愿活动提醒',
  consultation_reminder: '法律咨询提醒',
  legal_case: '法律服务进度',
};

interface NoticeSource {
  notificationId: string;
  userId: string;
  template: NotificationTemplate;
  data: Record<string, string>;
  page?: string;
  at?: string;
}

/** One line a resident (or worker) reads: what it is about, and what happened or is asked. */
export function noticeText(n: Pick<NoticeSource, 'template' | 'data'>): string {
  const d = n.data;
  const subject = d.type ?? d.job ?? d.activity ?? '';
  let what: string;
  switch (n.template) {
    case 'request_assigned':
      what = d.due ? `已分派给您，请在 ${beijingText(d.due)} 前受理` : '已分派给您，请尽快受理';
      break;
    case 'request_informed':
      what = `已分派至${d.level ?? '负责人员'}，请您知悉`;
      break;
    case 'consultation_reminder':
      return `您预约了明天的法律咨询：${d.time ?? ''}，${d.place ?? ''}`;
    default:
      what = d.status ?? '';
  }
  return [subject, what].filter(Boolean).join('：');
}

/** Keeps a notice, once per notification id, and counts it as unread in the same transaction. */
export async function keepNotice(n: NoticeSource): Promise<void> {
  const at = n.at ?? new Date().toISOString();
  try {
    await ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: config().TABLE_NAME,
              Item: {
                ...keys.userNotice(n.userId, at, n.notificationId),
                type: 'Notice',
                notificationId: n.notificationId,
                template: n.template,
                title: titles[n.template],
                text: noticeText(n),
                ...(n.page ? { page: n.page } : {}),
                at,
                expiresAt: Math.floor(Date.parse(at) / 1000) + 180 * 24 * 3600,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: config().TABLE_NAME,
              Key: keys.userNoticeCounter(n.userId),
              UpdateExpression: 'ADD unread :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
  } catch (err) {
    // Kept already (a redelivery after a crash between keeping and marking): nothing to do.
    if (!isConditionFailure(err)) throw err;
  }
}

export interface NoticeView {
  notificationId: string;
  title: string;
  text: string;
  page: string | null;
  at: string;
  read: boolean;
}

/** Newest first, with the unread count: one Query (the counter sorts first in descending order). */
export async function myNotices(p: Principal, limit: number, cursor?: string): Promise<{ items: NoticeView[]; unread: number; nextCursor: string | null }> {
  const first = !cursor;
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.userNoticePartition(p.userId) },
      ScanIndexForward: false,
      Limit: first ? limit + 1 : limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  const rows = out.Items ?? [];
  const counter = rows.find((r) => r.sk === keys.userNoticeCounter(p.userId).sk);
  // On later pages the read mark is read with the page (a GetItem only then).
  const mark = counter ?? (first ? undefined : (await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.userNoticeCounter(p.userId) }))).Item);
  const lastReadAt = typeof mark?.lastReadAt === 'string' ? mark.lastReadAt : '';
  const items = rows
    .filter((r) => r.type === 'Notice')
    .map((r) => ({
      notificationId: String(r.notificationId),
      title: String(r.title),
      text: String(r.text),
      page: typeof r.page === 'string' ? r.page : null,
      at: String(r.at),
      read: String(r.at) <= lastReadAt,
    }));
  return { items, unread: Number(counter?.unread ?? mark?.unread ?? 0), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** Marks everything up to now as read (opening 我的消息 reads them all). */
export async function markNoticesRead(p: Principal, now = new Date()): Promise<{ unread: number }> {
  await ddb().send(
    new UpdateCommand({
      TableName: config().TABLE_NAME,
      Key: keys.userNoticeCounter(p.userId),
      UpdateExpression: 'SET unread = :zero, lastReadAt = :now',
      ExpressionAttributeValues: { ':zero': 0, ':now': now.toISOString() },
    }),
  );
  return { unread: 0 };
}
