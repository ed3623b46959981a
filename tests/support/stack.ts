import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, inject } from 'vitest';

import { type LocalStack, type LocalStackOptions,startLocalStack } from '../../infra/local/stack';

/**
 * Gives a test file its own stack on the run's shared DynamoDB Local and SQS emulator: a table
 * and queues under a unique prefix, the HTTP API on a free port, and (optionally) the pollers.
 */
export function useTestStack(opts: Partial<Pick<LocalStackOptions, 'workers' | 'visibilityTimeoutSeconds'>> = {}) {
  const holder: { stack?: LocalStack } = {};
  beforeAll(async () => {
    holder.stack = await startLocalStack({
      dynamoEndpoint: inject('dynamoEndpoint'),
      sqsEndpoint: inject('sqsEndpoint'),
      s3Endpoint: inject('s3Endpoint'),
      prefix: `t${randomBytes(4).toString('hex')}-`,
      stage: 'test',
      port: 0,
      workers: opts.workers ?? false,
      visibilityTimeoutSeconds: opts.visibilityTimeoutSeconds,
    });
  });
  afterAll(async () => {
    await holder.stack?.stop();
  });
  const stack = (): LocalStack => {
    if (!holder.stack) throw new Error('stack not started yet (use it inside a test or hook)');
    return holder.stack;
  };
  return {
    get stack(): LocalStack {
      return stack();
    },
    /** A call to this file's local API. */
    call: (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(stack().apiUrl, method, path, opts),
  };
}

/** A small JSON client for the local API, returning status, headers and parsed body. */
export async function api(
  baseUrl: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
