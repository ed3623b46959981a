import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';

import { ddb, secretValue } from '../aws';
import { config, isLocalStage, keyConfig } from '../config';
import { keys } from '../db/keys';
import { logger } from '../logger';
import type { QueueMessage } from '../queue/messages';
import { assertMayUseSecret } from '../system/grants';
import { getUser } from '../users/repository';
import { keepNotice } from './notices';
import { type NotificationTemplate,notificationTemplates } from './templates';

/**
 * Outbound notifications (WeChat subscribe messages). Producers put a message on the
 * `notifications` queue (through the outbox); the consumer delivers it through the adapter of
 * the stage: WeChat in AWS, the local outbox table partition (readable by tests) elsewhere.
 */

export const notificationSchema = z.object({
  notificationId: z.string().min(1),
  userId: z.string().min(1),
  template: z.enum(notificationTemplates),
  /** Short texts shown in the message (WeChat limits each to about 20 characters). */
  data: z.record(z.string(), z.string()),
  /** Mini-program page opened by a tap. */
  page: z.string().optional(),
  /** When it happened (set by the producer; a redelivery carries the same time). */
  at: z.string().optional(),
});
export type Notification = z.infer<typeof notificationSchema>;

export function notificationMessage(n: Notification): QueueMessage {
  return { queue: 'notifications', body: { ...n, at: n.at ?? new Date().toISOString() } };
}

/**
 * The subscribe-message template ids the mini-program asks the user to accept before an action
 * (WeChat delivers a subscribe message only after that). Locally there is no WeChat: stand-in
 * ids keep the same flow running (the local adapter delivers regardless).
 */
export function subscribeTemplateIds(): Partial<Record<NotificationTemplate, string>> {
  const local = isLocalStage();
  const ids: Partial<Record<NotificationTemplate, string>> = {};
  for (const t of notificationTemplates) {
    const id = local ? `local-${t}` : keyConfig().wechatTemplates[t];
    if (id) ids[t] = id;
  }
  return ids;
}

interface Adapter {
  deliver(n: Notification): Promise<void>;
}

/** Locally the "phone" is a table partition per user: tests and the demo read what was sent. */
const localAdapter: Adapter = {
  async deliver(n) {
    const sentAt = new Date().toISOString();
    await ddb()
      .send(
        new PutCommand({
          TableName: config().TABLE_NAME,
          Item: { ...keys.localNotification(n.userId, n.notificationId), type: 'LocalNotification', ...n, sentAt },
        }),
      );
  },
};

let accessToken: { value: string; until: number } | undefined;

async function wechatAccessToken(): Promise<string> {
  if (accessToken && accessToken.until > Date.now()) return accessToken.value;
  const { WECHAT_APP_ID: appId, WECHAT_SECRET_ARN: secretArn } = keyConfig();
  if (!appId || !secretArn) throw new Error('WECHAT_APP_ID / WECHAT_SECRET_ARN missing');
  const url = new URL('https://api.weixin.qq.com/cgi-bin/token');
  url.search = new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret: await secretValue(secretArn) }).toString();
  const body = (await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).json()) as { access_token?: string; expires_in?: number; errcode?: number };
  if (!body.access_token) throw new Error(`WeChat token refused: errcode ${body.errcode}`);
  // Renew five minutes early so that a token never expires in flight.
  accessToken = { value: body.access_token, until: Date.now() + ((body.expires_in ?? 7200) - 300) * 1000 };
  return accessToken.value;
}

const wechatAdapter: Adapter = {
  async deliver(n) {
    const templateId = keyConfig().wechatTemplates[n.template];
    const user = await getUser(n.userId);
    if (!templateId || !user) {
      logger.warn('notification not deliverable', { template: n.template, hasTemplate: !!templateId, hasUser: !!user });
      return;
    }
    const res = await fetch(`https://api.weixin.qq.com/cgi-bin/message/subscribe/send?access_token=${await wechatAccessToken()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        touser: user.openid,
        template_id: templateId,
        page: n.page,
        data: Object.fromEntries(Object.entries(n.data).map(([k, v]) => [k, { value: v.slice(0, 20) }])),
      }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await res.json()) as { errcode?: number; errmsg?: string };
    // 43101: the user has not subscribed (or used up) this message; nothing to retry.
    if (body.errcode === 43101) return;
    if (body.errcode) throw new Error(`WeChat subscribe send failed: errcode ${body.errcode}`);
  },
};

function adapter(): Adapter {
  assertMayUseSecret('wechat');
  return isLocalStage() ? localAdapter : wechatAdapter;
}

/**
 * Delivers once per notificationId: a redelivered queue message finds the marker and stops.
 * Whatever WeChat does with it (a subscribe message is one-time and may not be accepted), the
 * notice is kept in the user's 我的消息 first.
 */
export async function deliverNotification(n: Notification): Promise<'sent' | 'duplicate'> {
  const marker = keys.notificationSent(n.notificationId);
  const done = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: marker }));
  if (done.Item) return 'duplicate';
  await keepNotice(n);
  await adapter().deliver(n);
  await ddb().send(
    new PutCommand({
      TableName: config().TABLE_NAME,
      Item: { ...marker, type: 'NotificationSent', at: new Date().toISOString(), expiresAt: Math.floor(Date.now() / 1000) + 30 * 24 * 3600 },
    }),
  );
  return 'sent';
}
