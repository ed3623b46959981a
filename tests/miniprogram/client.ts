import { createHttp, type Storage, type Transport } from '../../miniprogram/services/http';

/** The mini-program's service with a fetch transport: the same code, talking to the local server. */
export function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, v), remove: (k) => void data.delete(k) };
}

export function fetchTransport(opts: { online?: () => boolean } = {}): Transport {
  return async (req) => {
    if (opts.online && !opts.online()) throw new TypeError('fetch failed: offline');
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.data === undefined ? undefined : JSON.stringify(req.data) });
    const text = await res.text();
    return { statusCode: res.status, data: text ? JSON.parse(text) : undefined };
  };
}

export function client(baseUrl: string, openid: string, opts: { online?: () => boolean } = {}) {
  const storage = memoryStorage();
  let logins = 0;
  const http = createHttp({
    baseUrl,
    transport: fetchTransport(opts),
    storage,
    loginCode: async () => {
      logins++;
      return `dev:${openid}`;
    },
  });
  return { http, storage, logins: () => logins };
}
