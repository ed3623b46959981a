import { NetworkError, newIdempotencyKey, type Storage } from '../services/http';

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
     * (success, or a refusal that a resend would not change); a network failure stops the flush
     * and keeps the rest for next time — with whatever the attempt recorded in the payload (the
     * photos it managed to upload), so the next attempt repeats the same body.
     */
    async flush(send: (item: Pending) => Promise<void>): Promise<{ sent: number; failed: number; left: number }> {
      let sent = 0;
      let failed = 0;
      for (const item of read()) {
        try {
          await send(item);
          sent++;
        } catch (err) {
          if (err instanceof NetworkError) {
            write(read().map((x) => (x.id === item.id ? item : x)));
            break;
          }
          failed++;
        }
        write(read().filter((x) => x.id !== item.id));
      }
      return { sent, failed, left: read().length };
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
    if (!(err instanceof NetworkError)) throw err;
    // Keep the key the first attempt used: if that attempt did reach the server, the resend is recognised.
    return { sent: false, pending: queue.add(kind, payload, idempotencyKey) };
  }
}
