import { type ChildProcess,spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { projectRoot } from '../../infra/local/http-api';
import { freePort } from '../../infra/local/ports';
import { api } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * `npm start` killed with SIGKILL (the whole process group: the API, the in-memory queue emulator
 * and the DynamoDB Local JVM) in the middle of 300 keyed submissions, then started again on the
 * same data. Nothing may be lost or doubled, and nothing may stay `submitted`: the intake messages
 * died with the emulator, so the restart must route what they would have.
 */
const dir = mkdtempSync(join(tmpdir(), 'anzhi-crash-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.pid) killGroup(c.pid);
  rmSync(dir, { recursive: true, force: true });
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function startStack(port: number): Promise<{ child: ChildProcess; ready: Promise<void>; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: projectRoot,
    detached: true, // its own process group, so the kill takes the JVM with it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      LOCAL_DATA_DIR: join(dir, 'dynamodb'),
      LOCAL_S3_DIR: join(dir, 's3'),
      LOCAL_KEY_DIR: join(dir, 'keys'),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      // What is under test is the submissions around the crash, not the demo's 12 months of history.
      DEMO_HISTORY: 'off',
    },
  });
  children.push(child);
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('Ctrl-C stops everything')) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`stack exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, ready, output: () => output };
}

describe('a crash in the middle of submissions (kill -9 of npm start)', () => {
  it('loses nothing, doubles nothing, and routes every request after the restart', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await startStack(port);
    await first.ready;

    const residents = Array.from({ length: 10 }, (_, i) => `dev-resident-${i + 1}`);
    const tokens: string[] = [];
    for (const openid of residents) tokens.push((await api(base, 'POST', '/v1/auth/wechat', { body: { code: `dev:${openid}` } })).body.token);
    const submissions = Array.from({ length: 300 }, (_, i) => ({
      token: tokens[i % tokens.length]!,
      key: `crash-test-${String(i).padStart(4, '0')}`,
      body: { typeCode: 'livelihood', description: `楼道第 ${i} 号灯不亮`, fields: { category: 'power', location: `${(i % 40) + 1}栋` } },
    }));
    const submit = (s: (typeof submissions)[number], url: string) =>
      api(url, 'POST', '/v1/requests', { token: s.token, body: s.body, headers: { 'idempotency-key': s.key } });

    // Submit 10 at a time; pull the plug once about 100 have been answered.
    let answered = 0;
    let killed = false;
    const inFlight = new Set<Promise<unknown>>();
    for (const s of submissions) {
      if (answered >= 100 && !killed) {
        killed = true;
        killGroup(first.child.pid!);
        break;
      }
      const p = submit(s, base)
        .then((r) => {
          if (r.status === 202) answered++;
        })
        .catch(() => undefined)
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 10) await Promise.race(inFlight);
    }
    if (!killed) killGroup(first.child.pid!);
    await Promise.allSettled(inFlight);
    await waitFor(async () => first.child.exitCode !== null || first.child.signalCode !== null, 10_000, 'the killed stack to exit');
    expect(answered).toBeGreaterThanOrEqual(100);
    expect(answered).toBeLessThan(300);

    const restarted = performance.now();
    const second = await startStack(port);
    await second.ready;
    expect(second.output()).toMatch(/Recovered\s+\d+ queued messages resent, \d+ unrouted requests routed/);

    // The phones resend everything with the same keys.
    const ids = new Set<string>();
    for (let i = 0; i < submissions.length; i += 20) {
      const batch = await Promise.all(submissions.slice(i, i + 20).map((s) => submit(s, base)));
      for (const r of batch) {
        expect(r.status, JSON.stringify(r.body)).toBe(202);
        ids.add(r.body.requestId);
      }
    }
    expect(ids.size).toBe(300);

    // Every request routed: none left `submitted`, none doubled, in each resident's own list.
    const stuck = async () => {
      let total = 0;
      let submitted = 0;
      for (const token of tokens) {
        let cursor: string | null = null;
        do {
          const page: { body: { items: { status: string }[]; nextCursor: string | null } } = await api(base, 'GET', `/v1/me/requests?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token });
          total += page.body.items.length;
          submitted += page.body.items.filter((r) => r.status === 'submitted').length;
          cursor = page.body.nextCursor;
        } while (cursor);
      }
      return { total, submitted };
    };
    await waitFor(async () => (await stuck()).submitted === 0, 60_000, 'every request routed');
    const routedAfterMs = Math.round(performance.now() - restarted);
    expect(await stuck()).toEqual({ total: 300, submitted: 0 });
    const recovered = /Recovered\s+(.*)/.exec(second.output())?.[1];
    console.info(`crash-restart: ${answered} answered before the kill; at restart: ${recovered}; all 300 routed ${routedAfterMs} ms after the restart began`);
    killGroup(second.child.pid!);
    // Two starts of the whole stack (a JVM each) on a 2-core machine, with 300 submissions between.
  }, 150_000);
});
