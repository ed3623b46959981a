import { ApiError, NetworkError, newIdempotencyKey, type Storage } from '../services/http';

/**
 * Submissions made without a network are kept on the phone and sent when it returns. Each one
 * carries the Idempotency-Key it was given when the resident pressed the button, so however many
 * times a flaky network makes us resend it, the server creates it once.
 */
export interface Pending<T = unknown> {
  id: string;
  kind: string;
  payload: T;
  idempotencyKey: string;
  createdAt: string;
  /** Attempts the server answered with a fault (5xx, 429, 408); a missing network is not counted. */
  attempts?: number;
  /** Not before this time (backoff after a server fault). */
  retryAt?: string;
}

/**
 * A failure that a later resend may overcome: no network, a server fault, "too many requests",
 * a timeout. The Idempotency-Key makes resending safe, so such a submission is never dropped.
 */
export function isRetryable(err: unknown): boolean {
  return err instanceof NetworkError || (err instanceof ApiError && (err.status >= 500 || err.status === 429 || err.status === 408));
}

/** 30 s, 1 min, 2 min … at most 30 min between attempts after server faults. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

/** A kept submission the server refused for good (a 4xx a resend would not change), with its reason. */
export interface Refused {
  kind: string;
  message: string;
}

const key = 'anzhi.offline-queue';

export function createOfflineQueue(storage: Storage) {
  const read = (): Pending[] => JSON.parse(storage.get(key) ?? '[]') as Pending[];
  const write = (items: Pending[]) => storage.set(key, JSON.stringify(items));

  return {
    pending: read,
    add<T>(kind: string, payload: T, idempotencyKey = newIdempotencyKey()): Pending<T> {
      const item: Pending<T> = { id: newIdempotencyKey(), kind, payload, idempotencyKey, createdAt: new Date().toISOString() };
      write([...read(), item]);
      return item;
    },
    /**
     * Sends what is waiting, oldest first. An item leaves the queue only once the server answered
     * for good: success, or a refusal that a resend would not change (returned with its reason so
     * the resident is told). A missing network stops the flush and keeps the rest for the next
     * connection; a server fault (5xx, 429, 408) stops it too and sets a backoff before the next
     * try. Whatever an attempt recorded in the payload (the photos it managed to upload) is kept,
     * so the next attempt repeats the same body.
     */
    async flush(send: (item: Pending) => Promise<void>, now = new Date()): Promise<{ sent: number; failed: number; left: number; refused: Refused[]; retryAt: string | null }> {
      let sent = 0;
      const refused: Refused[] = [];
      for (const item of read()) {
        // Oldest first, always: a later item waits for the one before it.
        if (item.retryAt && Date.parse(item.retryAt) > now.getTime()) break;
        try {
          await send(item);
          sent++;
        } catch (err) {
          if (isRetryable(err)) {
            const serverFault = !(err instanceof NetworkError);
            const attempts = (item.attempts ?? 0) + (serverFault ? 1 : 0);
            const kept: Pending = { ...item, attempts, ...(serverFault ? { retryAt: new Date(now.getTime() + backoffMs(attempts)).toISOString() } : {}) };
            write(read().map((x) => (x.id === item.id ? kept : x)));
            break;
          }
          refused.push({ kind: item.kind, message: err instanceof Error ? err.message : '提交失败' });
        }
        write(read().filter((x) => x.id !== item.id));
      }
      const left = read();
      return { sent, failed: refused.length, left: left.length, refused, retryAt: left[0]?.retryAt ?? null };
    },
  };
}

/**
 * Submit now if the network allows, else keep it: what a page calls when the resident presses
 * 提交. The answer says which happened, so the page can show it.
 */
export async function submitOrKeep<T, R>(
  queue: ReturnType<typeof createOfflineQueue>,
  kind: string,
  payload: T,
  send: (payload: T, idempotencyKey: string) => Promise<R>,
): Promise<{ sent: true; result: R } | { sent: false; pending: Pending<T> }> {
  const idempotencyKey = newIdempotencyKey();
  try {
    return { sent: true, result: await send(payload, idempotencyKey) };
  } catch (err) {
    // No network, or a server fault a resend may overcome: keep it. A refusal (4xx) is the
    // resident's to fix on the form, so it is thrown to the page.
    if (!isRetryable(err)) throw err;
    // Keep the key the first attempt used: if that attempt did reach the server, the resend is recognised.
    return { sent: false, pending: queue.add(kind, payload, idempotencyKey) };
  }
}
