import * as z from 'zod';

import { type NotificationTemplate,notificationTemplates, templateEnv } from './notifications/templates';
import { type QueueId,queues } from './resources';

/**
 * Configuration, read from the environment and checked once on first use (cold start).
 * Lazy rather than at import time so that the local runtime and the tests can set the
 * environment before the first handler runs.
 */
const schema = z.object({
  /** Required: a missing stage must not fall back to one that allows dev logins. */
  STAGE: z.enum(['local', 'test', 'dev', 'prod']),
  TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('cn-northwest-1'),
  /** Set only off AWS (local runtime, tests): DynamoDB Local. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Set only off AWS: the SQS emulator. */
  SQS_ENDPOINT: z.url().optional(),
  /** Set only off AWS: the local S3 stand-in. */
  S3_ENDPOINT: z.url().optional(),
  PHOTO_BUCKET: z.string().min(1),
  QUEUE_INTAKE_URL: z.string().min(1),
  QUEUE_DISPATCH_URL: z.string().min(1),
  QUEUE_SIGNUPS_URL: z.string().min(1),
  QUEUE_NOTIFICATIONS_URL: z.string().min(1),
  QUEUE_EXPORTS_URL: z.string().min(1),
  QUEUE_IMPORTS_URL: z.string().min(1),
  /** Largest JSON body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  /** The people's mediation committee named on an agreement (人民调解协议书). */
  MEDIATION_COMMITTEE: z.string().min(2).default('新城街道人民调解委员会'),
  /**
   * The CJK font agreements are printed in: Noto Sans CJK from Debian's fonts-noto-cjk here; in
   * AWS the agreement functions carry their copy (infra/routes-stack.ts) and point here.
   */
  CJK_FONT_PATH: z.string().min(1).default('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
  /** Comma-separated origins allowed by CORS; the mini-program does not need CORS at all. */
  CORS_ORIGINS: z.string().default(''),
});

export type Config = z.infer<typeof schema> & { queueUrls: Record<QueueId, string> };

let cached: Config | undefined;

export function config(): Config {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Invalid configuration: ${fields}`);
  }
  const c = parsed.data;
  const queueUrls = Object.fromEntries(
    (Object.keys(queues) as QueueId[]).map((id) => [id, c[queues[id].urlEnv]]),
  ) as Record<QueueId, string>;
  cached = { ...c, queueUrls };
  return cached;
}

/**
 * Keys, secrets and WeChat settings: read and checked once, like config(), but on their own so
 * that the pieces that need only them (token signing, PII sealing, WeChat login) do not require
 * the table and queues to be configured. In AWS the secrets come by ARN (Secrets Manager) and the
 * key by id (KMS); the plain values exist only in the local and test stages.
 */
const keySchema = z.object({
  JWT_SECRET_ARN: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, { error: 'JWT_SECRET must be at least 32 characters' }).optional(),
  PII_KEY_ID: z.string().min(1).optional(),
  PII_HASH_SECRET_ARN: z.string().min(1).optional(),
  PII_LOCAL_KEY: z.string().min(1).optional(),
  WECHAT_APP_ID: z.string().optional(),
  WECHAT_SECRET_ARN: z.string().min(1).optional(),
});
export type KeyConfig = z.infer<typeof keySchema> & { wechatTemplates: Partial<Record<NotificationTemplate, string>> };
let cachedKeys: KeyConfig | undefined;

export function keyConfig(): KeyConfig {
  if (cachedKeys) return cachedKeys;
  const parsed = keySchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join(', ')}`);
  const wechatTemplates: Partial<Record<NotificationTemplate, string>> = {};
  for (const t of notificationTemplates) {
    const id = process.env[templateEnv(t)];
    if (id) wechatTemplates[t] = id;
  }
  cachedKeys = { ...parsed.data, wechatTemplates };
  return cachedKeys;
}

/**
 * Whether this process runs the local runtime or the tests: the only stages where `dev:<openid>`
 * logins, the local PII key, the local signing key and the local notification adapter are
 * allowed. Read here alone, and false when STAGE is missing — the safe default. (It does not go
 * through config(), so that the pieces that ask can run before the rest is configured.)
 */
export function isLocalStage(): boolean {
  return process.env.STAGE === 'local' || process.env.STAGE === 'test';
}

/** Only for the local runtime and tests, which start many configurations in one process. */
export function resetConfigForTests(): void {
  cached = undefined;
  cachedKeys = undefined;
}
