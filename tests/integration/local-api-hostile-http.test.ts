import { connect } from 'node:net';

import { describe, expect, it } from 'vitest';

import { useTestStack } from '../support/stack';

const t = useTestStack();

/** Writes raw bytes to the local API and returns whatever comes back before the socket closes (or `waitMs`). */
function raw(payload: string, opts: { hangUpAfterMs?: number; waitMs?: number } = {}): Promise<string> {
  const { port, hostname } = new URL(t.stack.apiUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const finish = () => {
      socket.destroy();
      resolve(received);
    };
    socket.on('data', (d) => (received += d.toString('utf8')));
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(payload);
    if (opts.hangUpAfterMs !== undefined) setTimeout(finish, opts.hangUpAfterMs);
    else setTimeout(finish, opts.waitMs ?? 3000);
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
/** The JSON body of a response, chunked or not. */
const bodyOf = (response: string) => {
  const body = response.slice(response.indexOf('\r\n\r\n') + 4);
  return body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1);
};

describe('the local API under malformed HTTP', () => {
  it('survives a client that hangs up partway through its body', async () => {
    const got = await raw('POST /v1/auth/wechat HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"code":"x"}', { hangUpAfterMs: 300 });
    expect(got).toBe('');
    expect((await fetch(`${t.stack.apiUrl}/health`)).status).toBe(200);
  });

  it('answers a malformed chunked body with 400 and stays up', async () => {
    const got = await raw('POST /v1/auth/wechat HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nZZZ\r\n{"code":"x"}\r\n0\r\n\r\n');
    expect(statusOf(got)).toBe(400);
    expect((await fetch(`${t.stack.apiUrl}/health`)).status).toBe(200);
  });

  it('answers an absolute-form URL with a bad port with a v1 error and stays up', async () => {
    const got = await raw('GET http://example.invalid:99999/v1/jobs HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(statusOf(got)).toBe(400);
    expect(JSON.parse(bodyOf(got))).toEqual({ error: { code: 'MALFORMED_REQUEST', message: '请求地址格式不正确', details: [] } });
    expect((await fetch(`${t.stack.apiUrl}/health`)).status).toBe(200);
  });

  it('answers bad percent-encoding in a path parameter with a JSON 400', async () => {
    const res = await fetch(`${t.stack.apiUrl}/v1/jobs/%ZZ`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ error: { code: 'MALFORMED_REQUEST', message: '请求地址格式不正确', details: [] } });
  });

  it('answers a request line that is not HTTP with 400 and stays up', async () => {
    const got = await raw('\x00\x01\x02 garbage\r\n\r\n');
    expect(statusOf(got)).toBe(400);
    const many = await Promise.all(Array.from({ length: 20 }, () => raw('POST /v1/requests HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\n\r\n{', { hangUpAfterMs: 50 })));
    expect(many.every((m) => m === '')).toBe(true);
    const health = await fetch(`${t.stack.apiUrl}/health`);
    expect(health.status).toBe(200);
  });
});
