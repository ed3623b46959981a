import { AsyncLocalStorage } from 'node:async_hooks';

import type { QueueId } from '../resources';

/**
 * What a function may touch. Routes, consumers and schedules declare it beside their handler
 * (shared/routes/, shared/resources.ts); the CDK stack grants exactly that and nothing more.
 *
 * IAM would only refuse an undeclared access in AWS — and a refused queue send is even hidden
 * there, because the outbox keeps the message for the reconcile schedule. So the local runtime
 * runs each handler inside its declared grant, and the few places where code reaches a queue, a
 * table write or a secret check it: an undeclared access fails the test that exercises it, with
 * the declaration to fix. In Lambda no grant is active and nothing is checked here.
 */
export type SecretName = 'jwt' | 'piiHash' | 'piiKey' | 'wechat';

export interface Grant {
  /** Who runs: a route id, `<queue>Consumer` or `<schedule>Schedule`. */
  name: string;
  sends: readonly QueueId[];
  table: 'read' | 'readwrite';
  secrets: readonly SecretName[];
}

export class UndeclaredAccessError extends Error {
  constructor(grant: Grant, what: string) {
    super(`${grant.name} is not granted ${what}: declare it with its definition (the stack grants only what is declared)`);
    this.name = 'UndeclaredAccessError';
  }
}

const current = new AsyncLocalStorage<Grant>();

/** Runs `fn` with `grant` as the rights of everything it calls (the local runtime's invokers). */
export function runWithGrant<T>(grant: Grant, fn: () => T): T {
  return current.run(grant, fn);
}

export function assertMaySend(queue: QueueId): void {
  const g = current.getStore();
  if (g && !g.sends.includes(queue)) throw new UndeclaredAccessError(g, `sqs:SendMessage on the ${queue} queue`);
}

export function assertMayWrite(command: string): void {
  const g = current.getStore();
  if (g && g.table !== 'readwrite') throw new UndeclaredAccessError(g, `dynamodb:${command} (it declares read-only table access)`);
}

export function assertMayUseSecret(secret: SecretName): void {
  const g = current.getStore();
  if (g && !g.secrets.includes(secret)) throw new UndeclaredAccessError(g, `the ${secret} secret`);
}

/** Every route verifies tokens and may meet personal data; the rest is declared per route. */
export const routeSecrets: readonly SecretName[] = ['jwt', 'piiHash', 'piiKey'];

export function routeGrant(r: { id: string; method: string; sends?: readonly QueueId[]; tableAccess?: 'read' | 'readwrite'; secrets?: readonly SecretName[] }): Grant {
  return { name: r.id, sends: r.sends ?? [], table: r.tableAccess ?? (r.method === 'GET' ? 'read' : 'readwrite'), secrets: [...routeSecrets, ...(r.secrets ?? [])] };
}

export function declaredGrant(name: string, d: { sends: readonly QueueId[]; table: 'read' | 'readwrite'; secrets: readonly SecretName[] }): Grant {
  return { name, sends: d.sends, table: d.table, secrets: d.secrets };
}
