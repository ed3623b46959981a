/**
 * `npm run bench`: speed, size and cost figures, each next to the closest thing to its physical
 * limit measured side by side in the same run (shared machines are noisy; ratios are the figure).
 * Writes a Markdown table to stdout and the raw numbers to bench-results/bench.json.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

import { DeleteMessageCommand,ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';

import { lambdaEsbuildOptions } from '../../infra/bundling';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';

const { startLocalStack } = await import('../../infra/local/stack');
const { seedDemoData } = await import('../../infra/local/seed');
const { routes } = await import('../../shared/routes');
const { queueList, schedules } = await import('../../shared/resources');
const { ddb, sqs } = await import('../../shared/aws');
const { config } = await import('../../shared/config');
const { keys } = await import('../../shared/db/keys');
const { tokenAs } = await import('../fixtures/principals');
const { livelihood } = await import('../fixtures/requests');
const { offlineEnv } = await import('../fixtures/events');
const { countDynamoCalls } = await import('../support/ddb-counter');

const root = resolve(import.meta.dirname, '../..');
const results: Record<string, unknown> = { machine: { node: process.version, cpus: 2 }, at: new Date().toISOString() };
const md: string[] = [];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => x.toFixed(1);

/** Every goal of #18 with what this run measured, printed together at the end (one table, ✓/✗). */
const goals: { goal: string; target: string; measured: string; met: boolean }[] = [];
function goal(name: string, target: string, value: number, met: (x: number) => boolean, unit = '×') {
  goals.push({ goal: name, target, measured: `${value.toFixed(unit === '×' ? 2 : 1)}${unit === '×' ? '×' : ` ${unit}`}`, met: met(value) });
}

// ------------------------------------------------------------------------------------------
// 1. Bundles: size and cold import, next to an empty handler bundled the same way.
async function bundles() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  writeFileSync(join(dir, 'empty.ts'), 'export const handler = async () => ({ statusCode: 200 });\n');
  const entries = [
    { id: '(empty handler: the limit)', entry: join(dir, 'empty.ts') },
    ...routes.map((r) => ({ id: r.id, entry: resolve(root, r.handler) })),
    ...queueList.filter((q) => q.consumer).map((q) => ({ id: `${q.id} consumer`, entry: resolve(root, q.consumer!.handler) })),
    ...schedules.map((s) => ({ id: `${s.id} schedule`, entry: resolve(root, s.handler) })),
  ];
  const rows = [];
  for (const e of entries) {
    // Bundled exactly as the stack bundles it (infra/bundling.ts).
    const out = await build({ ...lambdaEsbuildOptions, entryPoints: [e.entry], write: false, logLevel: 'silent' });
    const code = out.outputFiles[0]!.contents;
    const file = join(dir, `${e.id.replace(/\W+/g, '_')}.mjs`);
    writeFileSync(file, code);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const t=performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now()-t)`], {
        encoding: 'utf8',
        // The environment a function gets (every variable config() requires), from the same fixture the
        // handler tests use — an import that throws is a failed bench, never a 0 ms import.
        env: { ...process.env, ...offlineEnv },
      });
      const took = Number(r.stdout.trim());
      if (r.status !== 0 || !Number.isFinite(took)) throw new Error(`importing the ${e.id} bundle failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
      times.push(took);
    }
    rows.push({ id: e.id, bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength, coldImportMs: pct(times, 50) });
  }
  results.bundles = rows;
  md.push('## 1. Function bundles (minified ESM, node22 target) and cold import (Node ' + process.version + ', median of 3)', '');
  md.push('| function | size KiB | gzip KiB | cold import ms |', '|---|---:|---:|---:|');
  for (const r of rows) md.push(`| ${r.id} | ${(r.bytes / 1024).toFixed(1)} | ${(r.gzipBytes / 1024).toFixed(1)} | ${ms(r.coldImportMs)} |`);
  md.push('');
  const routeIds = new Set(routes.map((r) => r.id));
  const largest = Math.max(...rows.filter((r) => routeIds.has(r.id) && r.id !== 'getHealth').map((r) => r.bytes));
  goal('Bundle, the largest HTTP route', '≤ 250 KiB', largest / 1024, (x) => x <= 250, 'KiB');
  goal('Bundle, GET /health', '≤ 150 KiB', rows.find((r) => r.id === 'getHealth')!.bytes / 1024, (x) => x <= 150, 'KiB');
}

// ------------------------------------------------------------------------------------------
async function timedLoop(concurrency: number, total: number, fn: (i: number) => Promise<unknown>) {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const s = performance.now();
        await fn(i);
        lat.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { p50: pct(lat, 50), p99: pct(lat, 99), rps: total / seconds };
}

/** A route's answer, or the bench fails: no figure comes from refused or failed calls. */
const routeOk = (what: string) => (r: Response) => {
  if (!r.ok) throw new Error(`${what} answered ${r.status}`);
  return r.arrayBuffer();
};

async function httpRoutes(apiUrl: string) {
  const resident = await tokenAs('resident', 'resident-1');
  const worker = await tokenAs('grid_worker', 'gw-G001-ft');
  // Something in the inbox to read.
  for (let i = 0; i < 20; i++) {
    await fetch(`${apiUrl}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${resident}`, 'content-type': 'application/json' }, body: JSON.stringify(livelihood) });
  }
  await new Promise((r) => setTimeout(r, 2000));
  const table = config().TABLE_NAME;
  let n = 0;
  const cases = [
    {
      name: 'GET /v1/inbox',
      route: () => fetch(`${apiUrl}/v1/inbox?status=assigned&limit=20`, { headers: { authorization: `Bearer ${worker}` } }).then(routeOk('GET /v1/inbox')),
      bare: () => ddb().send(new QueryCommand({ TableName: table, IndexName: 'byScope', KeyConditionExpression: 'scopePk = :p', ExpressionAttributeValues: { ':p': keys.requestInboxPartition(keys.inboxQueue('grid', 'G001'), 'assigned') }, Limit: 20 })),
      bareName: 'Query byScope (20 items)',
    },
    {
      name: 'GET /v1/me',
      route: () => fetch(`${apiUrl}/v1/me`, { headers: { authorization: `Bearer ${resident}` } }).then(routeOk('GET /v1/me')),
      bare: () => ddb().send(new GetCommand({ TableName: table, Key: keys.user('resident-1') })),
      bareName: 'GetItem',
    },
    {
      name: 'POST /v1/requests',
      route: () =>
        fetch(`${apiUrl}/v1/requests`, {
          method: 'POST',
          headers: { authorization: `Bearer ${resident}`, 'content-type': 'application/json', 'idempotency-key': `bench-${process.pid}-${n++}` },
          body: JSON.stringify(livelihood),
        }).then(routeOk('POST /v1/requests')),
      bare: async () => {
        const id = `BENCH${n++}`;
        await ddb().send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: table, Item: { ...keys.request(id), x: 1 } } },
              { Put: { TableName: table, Item: { ...keys.requestEvent(id, 1), x: 1 } } },
              { Put: { TableName: table, Item: { ...keys.outbox(id), x: 1 } } },
              { Put: { TableName: table, Item: { ...keys.idempotency('bench', id), x: 1 } } },
            ],
          }),
        );
        await sqs().send(new SendMessageCommand({ QueueUrl: benchQueue, MessageBody: '{}' }));
      },
      bareName: 'TransactWrite (4 puts) + SendMessage',
    },
  ];
  cases.push(
    {
      name: 'GET /v1/jobs (workshop, ≥3000/month)',
      route: () => fetch(`${apiUrl}/v1/jobs?employerKind=workshop&minSalary=3000&limit=20`).then(routeOk('GET /v1/jobs')),
      bare: () => ddb().send(new QueryCommand({ TableName: table, IndexName: 'byFeed', KeyConditionExpression: 'feedPk = :p', FilterExpression: 'monthlySalaryMax >= :m', ExpressionAttributeValues: { ':p': keys.jobFeedPartition(keys.jobFeedFor({ employerKind: 'workshop' })), ':m': 3000 }, ScanIndexForward: false, Limit: 20 })),
      bareName: 'Query byFeed + filter (20)',
    },
    {
      name: 'GET /v1/activities',
      route: () => fetch(`${apiUrl}/v1/activities?limit=20`).then(routeOk('GET /v1/activities')),
      bare: () => ddb().send(new QueryCommand({ TableName: table, IndexName: 'byFeed', KeyConditionExpression: 'feedPk = :p AND feedSk >= :now', ExpressionAttributeValues: { ':p': keys.activityFeedPartition, ':now': new Date().toISOString() }, Limit: 20 })),
      bareName: 'Query byFeed (20)',
    },
  );
  // The route's own code without any HTTP: its Lambda handler invoked in this process with the
  // event API Gateway would send (read routes), against the same bare operation.
  const { httpEvent, lambdaContext } = await import('../fixtures/events');
  const handlerOf = async (id: string) => (await import(resolve(root, routes.find((r) => r.id === id)!.handler))).handler as (e: unknown, c: unknown) => Promise<{ statusCode: number }>;
  const inProcess: Record<string, () => Promise<unknown>> = {};
  const invoke = (what: string, h: (e: unknown, c: unknown) => Promise<{ statusCode: number }>, event: () => unknown) => async () => {
    const r = await h(event(), lambdaContext);
    if (r.statusCode !== 200) throw new Error(`${what} in-process answered ${r.statusCode}`);
  };
  const inbox = await handlerOf('getInbox');
  inProcess['GET /v1/inbox'] = invoke('GET /v1/inbox', inbox, () => httpEvent({ path: '/v1/inbox', headers: { authorization: `Bearer ${worker}` }, query: { status: 'assigned', limit: '20' } }));
  const me = await handlerOf('getMe');
  inProcess['GET /v1/me'] = invoke('GET /v1/me', me, () => httpEvent({ path: '/v1/me', headers: { authorization: `Bearer ${resident}` } }));
  const jobsHandler = await handlerOf('getJobs');
  inProcess['GET /v1/jobs (workshop, ≥3000/month)'] = invoke('GET /v1/jobs', jobsHandler, () => httpEvent({ path: '/v1/jobs', query: { employerKind: 'workshop', minSalary: '3000', limit: '20' } }));
  const activitiesHandler = await handlerOf('getActivities');
  inProcess['GET /v1/activities'] = invoke('GET /v1/activities', activitiesHandler, () => httpEvent({ path: '/v1/activities', query: { limit: '20' } }));
  // The HTTP hop alone: a bare Node HTTP server in this process that performs the same operation
  // and answers its result as JSON — no auth, no validation, no pipeline. A route's ratio to it is
  // what the route's own code costs; the ratio to the bare operation also counts the hop.
  const { createServer } = await import('node:http');
  const bareServer = createServer((req, res) => {
    const c = cases[Number((req.url ?? '').split('/').pop())];
    if (!c) return void res.writeHead(404).end();
    c.bare().then(
      (out) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out ?? {})),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  await new Promise<void>((r) => bareServer.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as { port: number }).port}`;
  const rows = [];
  try {
    for (const [i, c] of cases.entries()) {
      for (const conc of [1, 16, 64]) {
        const total = conc === 1 ? 200 : 600;
        const route = await timedLoop(conc, total, c.route);
        const bare = await timedLoop(conc, total, c.bare);
        const hop = await timedLoop(conc, total, () => fetch(`${bareUrl}/${i}`).then(routeOk(`bare HTTP ${c.bareName}`)));
        const own = inProcess[c.name] ? await timedLoop(conc, total, inProcess[c.name]!) : null;
        rows.push({ route: c.name, concurrency: conc, route_p50: route.p50, route_p99: route.p99, route_rps: route.rps, bare: c.bareName, bare_p50: bare.p50, bare_p99: bare.p99, bare_rps: bare.rps, http_p50: hop.p50, http_p99: hop.p99, http_rps: hop.rps, handler_p50: own?.p50 ?? null });
      }
    }
  } finally {
    bareServer.close();
  }
  results.routes = rows;
  md.push('## 2. Routes through the local HTTP stack vs the bare operations they perform, and vs a bare HTTP server doing the same (same process, same engines)', '');
  md.push(
    '| route | clients | p50 ms | p99 ms | req/s | bare op | bare p50 | bare HTTP p50 | bare HTTP p99 | bare HTTP req/s | p50 ratio to bare op | p50 ratio to bare HTTP | handler in-process p50 | its ratio to bare op (goal ≤ 1.3×) |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const r of rows) {
    const own = r.handler_p50 === null ? '— | —' : `${ms(r.handler_p50)} | ${(r.handler_p50 / r.bare_p50).toFixed(2)}× ${r.handler_p50 / r.bare_p50 <= 1.3 ? '✓' : '✗'}`;
    md.push(`| ${r.route} | ${r.concurrency} | ${ms(r.route_p50)} | ${ms(r.route_p99)} | ${r.route_rps.toFixed(0)} | ${r.bare} | ${ms(r.bare_p50)} | ${ms(r.http_p50)} | ${ms(r.http_p99)} | ${r.http_rps.toFixed(0)} | ${(r.route_p50 / r.bare_p50).toFixed(1)}x | ${(r.route_p50 / r.http_p50).toFixed(2)}x | ${own} |`);
  }
  md.push('');
  for (const conc of [1, 16]) {
    const at = rows.filter((r) => r.concurrency === conc && r.route.startsWith('GET '));
    const worst = at.reduce((a, b) => (b.route_p50 / b.http_p50 > a.route_p50 / a.http_p50 ? b : a));
    goal(`Read routes at ${conc} client${conc > 1 ? 's' : ''}: p50 ÷ a bare HTTP server doing the same (worst: ${worst.route})`, '≤ 1.3×', worst.route_p50 / worst.http_p50, (x) => x <= 1.3);
  }
}

// ------------------------------------------------------------------------------------------
// 3. DynamoDB round trips and consumed capacity per route.
async function roundTrips(apiUrl: string, pollers: { stop(): Promise<void>; start(): Promise<void> }[]) {
  const resident = await tokenAs('resident', 'resident-1');
  const worker = await tokenAs('grid_worker', 'gw-G001-ft');
  // The queue consumers share this process's client: pause them so that only the route counts.
  await Promise.all(pollers.map((p) => p.stop()));
  const { routeRequest } = await import('../../shared/requests/use-cases');
  const client = ddb();
  const counter = countDynamoCalls(client);
  const sub = await (await fetch(`${apiUrl}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${resident}`, 'content-type': 'application/json' }, body: JSON.stringify(livelihood) })).json() as { requestId: string };
  await routeRequest(sub.requestId);
  const probes: [string, string, string, unknown?][] = [
    ['GET /v1/me', '/v1/me', resident],
    ['GET /v1/me/requests', '/v1/me/requests', resident],
    ['GET /v1/requests/{id}', `/v1/requests/${sub.requestId}`, resident],
    ['GET /v1/inbox', '/v1/inbox', worker],
    ['GET /v1/request-types', '/v1/request-types', resident],
    ['POST /v1/requests', '/v1/requests', resident, livelihood],
    ['POST /v1/requests/{id}/actions (accept)', `/v1/requests/${sub.requestId}/actions`, worker, { action: 'accept' }],
  ];
  const rows = [];
  for (const [name, path, token, body] of probes) {
    counter.reset();
    await fetch(`${apiUrl}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }).then((r) => r.arrayBuffer());
    rows.push({ route: name, roundTrips: counter.calls.length, commands: counter.calls.map((c) => c.command.replace('Command', '')).join(' + '), capacityUnits: counter.calls.reduce((s, c) => s + c.capacity, 0) });
  }
  results.roundTrips = rows;
  client.middlewareStack.remove('countDynamoCalls');
  await Promise.all(pollers.map((p) => p.start()));
  md.push('## 3. DynamoDB round trips and consumed capacity per route (one warm call; queue consumers paused)', '');
  md.push('| route | round trips | calls | capacity units |', '|---|---:|---|---:|');
  for (const r of rows) md.push(`| ${r.route} | ${r.roundTrips} | ${r.commands || '—'} | ${r.capacityUnits} |`);
  md.push('');
}

// ------------------------------------------------------------------------------------------
// 4. Routing latency: POST /v1/requests until the request is in the assigned worker's inbox.
async function routingLatency(apiUrl: string) {
  const resident = await tokenAs('resident', 'resident-2');
  const total = 500;
  const lat: number[] = [];
  for (let i = 0; i < total; i++) {
    const t0 = performance.now();
    const sub = (await (await fetch(`${apiUrl}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${resident}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...livelihood, description: `路由延迟测试 ${i}` }) })).json()) as { requestId: string };
    // Polls what the worker's inbox Query sees, with a direct Query (an HTTP poll would add its own latency).
    for (;;) {
      const item = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.request(sub.requestId), ConsistentRead: true }));
      if (item.Item?.scopePk === keys.requestInboxPartition(keys.inboxQueue('grid', 'G002'), 'assigned')) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    lat.push(performance.now() - t0);
  }
  const bare: number[] = [];
  for (let i = 0; i < total; i++) {
    const t0 = performance.now();
    await sqs().send(new SendMessageCommand({ QueueUrl: benchQueue, MessageBody: '{}' }));
    const out = await sqs().send(new ReceiveMessageCommand({ QueueUrl: benchQueue, WaitTimeSeconds: 1, MaxNumberOfMessages: 1 }));
    bare.push(performance.now() - t0);
    if (out.Messages?.[0]) await sqs().send(new DeleteMessageCommand({ QueueUrl: benchQueue, ReceiptHandle: out.Messages[0].ReceiptHandle! }));
  }
  results.routing = { requests: total, p50: pct(lat, 50), p99: pct(lat, 99), bareSqsRoundTrip: { p50: pct(bare, 50), p99: pct(bare, 99) } };
  md.push('## 4. Routing latency: submit (HTTP) -> router (intake queue) -> assignment visible in the worker\'s inbox index', '');
  md.push('| measure | n | p50 ms | p99 ms |', '|---|---:|---:|---:|');
  md.push(`| POST /v1/requests -> in gw-G002-ft's inbox | ${total} | ${ms(pct(lat, 50))} | ${ms(pct(lat, 99))} |`);
  md.push(`| bare SQS send + receive on the same emulator (the limit) | ${total} | ${ms(pct(bare, 50))} | ${ms(pct(bare, 99))} |`);
  md.push('');
}

// ------------------------------------------------------------------------------------------
// 5. Sign-up throughput under contention vs a bare conditional write on one item.
async function signups(apiUrl: string) {
  const { createActivity } = await import('../../shared/volunteers/use-cases');
  const { issueToken } = await import('../../shared/auth/tokens');
  const { UpdateCommand, PutCommand } = await import('@aws-sdk/lib-dynamodb');
  const { activityInput } = await import('../fixtures/activities');
  const n = 1000;
  const a = await createActivity({ userId: 'admin-1', roles: ['admin'] }, activityInput({ capacity: 50 }));
  const tokens = await Promise.all(Array.from({ length: n }, async (_, i) => (await issueToken({ userId: `bench-vol-${i}`, roles: ['volunteer'] })).token));
  const statuses: number[] = [];
  const route = await timedLoop(64, n, (i) =>
    fetch(`${apiUrl}/v1/activities/${a.activityId}/signups`, { method: 'POST', headers: { authorization: `Bearer ${tokens[i]}` } }).then((r) => {
      statuses.push(r.status);
      return r.arrayBuffer();
    }),
  );
  const table = config().TABLE_NAME;
  // A figure only from a run that did the job: every sign-up answered, exactly 50 seats, a waitlist 1..950 without gaps.
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const { keys } = await import('../../shared/db/keys');
  const item = (await ddb().send(new GetCommand({ TableName: table, Key: keys.activity(a.activityId), ConsistentRead: true }))).Item!;
  const positions = Object.values(item.waitPos as Record<string, number>).sort((x, y) => x - y);
  if (statuses.some((st) => st !== 201)) throw new Error(`sign-ups: ${statuses.filter((st) => st !== 201).length} answered other than 201`);
  if (item.confirmed !== 50 || Object.keys(item.members as object).length !== 50) throw new Error(`sign-ups: ${item.confirmed} seats taken of 50`);
  if (positions.length !== n - 50 || positions.some((pos, i) => pos !== i + 1)) throw new Error(`sign-ups: the waitlist is not 1..${n - 50}`);
  await ddb().send(new PutCommand({ TableName: table, Item: { pk: 'BENCH#SEATS', sk: 'META', confirmed: 0, cap: 50, members: {} } }));
  const bare = await timedLoop(64, n, (i) =>
    ddb()
      .send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: 'BENCH#SEATS', sk: 'META' },
          UpdateExpression: 'SET confirmed = confirmed + :one, members.#u = :t',
          ConditionExpression: 'attribute_not_exists(members.#u)',
          ExpressionAttributeNames: { '#u': `u${i}` },
          ExpressionAttributeValues: { ':one': 1, ':t': 't' },
        }),
      )
      .catch(() => undefined),
  );
  results.signups = { n, concurrency: 64, route, bare };
  md.push('## 5. Sign-up throughput: 1,000 volunteers for 50 seats, 64 at a time', '');
  md.push('| measure | per second | p50 ms | p99 ms |', '|---|---:|---:|---:|');
  md.push(`| POST /v1/activities/{id}/signups (HTTP, 50 seats then waitlist) | ${route.rps.toFixed(0)} | ${ms(route.p50)} | ${ms(route.p99)} |`);
  md.push(`| bare conditional UpdateItem on one item (the limit) | ${bare.rps.toFixed(0)} | ${ms(bare.p50)} | ${ms(bare.p99)} |`);
  md.push(`| ratio | ${(route.rps / bare.rps).toFixed(2)} | | |`, '');
  goal('Sign-up throughput ÷ a bare conditional write', '≥ 0.5×', route.rps / bare.rps, (x) => x >= 0.5);
}

// ------------------------------------------------------------------------------------------
// 6. Households: import a 20,000-household roster as a job, then plan one day for it.
async function households() {
  const { checkRoster, planRoster } = await import('../../shared/households/import');
  const jobs = await import('../../shared/households/import-jobs');
  const { planVisits } = await import('../../shared/households/use-cases');
  const { demoRoster } = await import('../../infra/local/demo-data');
  const { batchPut } = await import('../../shared/db/batch');
  const { s3 } = await import('../../shared/aws');
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const admin = { userId: 'admin-1', roles: ['admin' as const] };

  // The limit: the very items an import of 20,000 households writes (each household with its
  // members, its first colour entry), made by the import's own planner from a twin file, with every
  // key moved aside (same sizes, same index attributes, other partitions) — written by bare
  // BatchWriteItem, one call at a time and eight at a time (the import writes eight chunks at a time).
  const twin = await checkRoster(admin, demoRoster(20_000, { prefix: 'Y' }));
  if (!twin.ok) throw new Error(`households: the twin roster was refused: ${twin.message}`);
  const aside = (item: Record<string, unknown>, n: string) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, ['pk', 'feedPk', 'scopePk', 'lookupPk', 'ownerPk'].includes(k) ? `BENCH${n}${String(v)}` : v]));
  const twinItems = (await planRoster(admin, twin.roster, new Date())).chunks.flatMap((c) => c.items);
  let t0 = performance.now();
  await batchPut(twinItems.map((i) => aside(i, '1')));
  const bareSerialMs = performance.now() - t0;
  const groups: Record<string, unknown>[][] = [];
  for (let i = 0; i < twinItems.length; i += 25) groups.push(twinItems.slice(i, i + 25).map((x) => aside(x, '8')));
  t0 = performance.now();
  let g = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (g < groups.length) await batchPut(groups[g++]!);
  }));
  const bareParallelMs = performance.now() - t0;

  // The import job as staff run it: the file into the bucket, started, the imports consumer (its
  // queue, its handler) checks and writes; timed from the start to the job read back done.
  const csv = demoRoster(20_000, { prefix: 'X' });
  async function runJob() {
    const job = await jobs.createRosterImport(admin, 'bench.csv');
    await s3().send(new PutObjectCommand({ Bucket: config().PHOTO_BUCKET, Key: job.upload.fields.key, Body: csv }));
    const begin = performance.now();
    await jobs.startRosterImport(admin, job.importId);
    for (;;) {
      const view = await jobs.readRosterImport(admin, job.importId);
      if (view.status === 'failed') throw new Error(`households: the import failed: ${view.message}`);
      if (view.status === 'done') return { ms: performance.now() - begin, view };
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const first = await runJob();
  if (first.view.created !== 20_000) throw new Error(`households: the import created ${first.view.created}, not 20,000`);
  const again = await runJob();
  if (again.view.unchanged !== 20_000) throw new Error(`households: the re-import left ${again.view.unchanged} unchanged, not 20,000`);

  // A fixed week: Monday makes the week's and the month's plans, Tuesday only the reds (#18 item 5).
  const monday = new Date('2027-06-07T06:00:00+08:00');
  const tuesday = new Date('2027-06-08T06:00:00+08:00');
  t0 = performance.now();
  const plan = await planVisits(monday);
  const planMs = performance.now() - t0;
  t0 = performance.now();
  const replan = await planVisits(monday);
  const replanMs = performance.now() - t0;
  t0 = performance.now();
  const nextDay = await planVisits(tuesday);
  const nextDayMs = performance.now() - t0;
  if (nextDay.created === 0) throw new Error('households: the next day planned no red visit');
  // Its limit: the same number of bare items of a visit's size, written with BatchWriteItem.
  t0 = performance.now();
  await batchPut(Array.from({ length: nextDay.created }, (_, i) => ({ pk: `BENCHVISIT#${i}`, sk: 'META', x: 'y'.repeat(300) })));
  const bareNextDayMs = performance.now() - t0;
  const importRatio = first.ms / bareParallelMs;
  results.households = { csvBytes: csv.length, items: twinItems.length, importJob: { ms: first.ms, ...first.view }, reimportJob: { ms: again.ms, ...again.view }, bareSerialMs, bareParallelMs, plan, planMs, replan, replanMs, nextDay, nextDayMs, bareNextDayMs };
  md.push('## 6. Households: 20,000-household roster (60,000 people) as an import job', '');
  md.push('| step | seconds | result |', '|---|---:|---|');
  md.push(`| import job: start → done (queue, check 60,000 rows, seal 120,000 numbers, write ${twinItems.length.toLocaleString('en')} items with figures and progress) | ${(first.ms / 1000).toFixed(1)} | created ${first.view.created}, written ${first.view.written} |`);
  md.push(`| bare BatchWriteItem of the same ${twinItems.length.toLocaleString('en')} items, one call at a time | ${(bareSerialMs / 1000).toFixed(1)} | |`);
  md.push(`| bare BatchWriteItem of the same items, eight calls at a time (goal: job ≤ 1.5× ${importRatio <= 1.5 ? '✓' : '✗'}: ${importRatio.toFixed(2)}×) | ${(bareParallelMs / 1000).toFixed(1)} | |`);
  md.push(`| import job of the same file again | ${(again.ms / 1000).toFixed(1)} | unchanged ${again.view.unchanged}, written ${again.view.written} |`);
  md.push(`| plan one day (all grids) | ${(planMs / 1000).toFixed(1)} | ${JSON.stringify(plan)} |`);
  md.push(`| plan the same day again | ${(replanMs / 1000).toFixed(1)} | ${JSON.stringify(replan)} |`);
  md.push(`| plan the next day (mid-week: reds only; goal ≤ 5 s ${nextDayMs <= 5000 ? '✓' : '✗'}) | ${(nextDayMs / 1000).toFixed(1)} | ${JSON.stringify(nextDay)} |`);
  md.push(`| bare BatchWriteItem of its ${nextDay.created} tasks (goal ≤ 1.5× ${nextDayMs <= 1.5 * bareNextDayMs ? '✓' : '✗'}: ${(nextDayMs / bareNextDayMs).toFixed(2)}×) | ${(bareNextDayMs / 1000).toFixed(1)} | |`, '');
  goal('Roster import, 20,000 households: job ÷ bare BatchWrite of the same items (8 at a time)', '≤ 1.5×', importRatio, (x) => x <= 1.5);
  goal('Visit plan, a mid-week day for 20,000 households', '≤ 5 s', nextDayMs / 1000, (x) => x <= 5, 's');
  goal('Visit plan, that day ÷ bare BatchWrite of its tasks', '≤ 1.5×', nextDayMs / bareNextDayMs, (x) => x <= 1.5);
}

let benchQueue = '';

async function miniprogram() {
  const { buildMiniprogram, packageSize } = await import('../../infra/miniprogram/build');
  // Minified, as WeChat DevTools uploads it (project.config.json: "minified": true).
  const files = buildMiniprogram(resolve(import.meta.dirname, '../../.build/miniprogram-bench'), { minify: true }).filter((f) => f.path !== 'package.json');
  const size = packageSize(files);
  const kinds = new Map<string, { files: number; bytes: number }>();
  for (const f of files) {
    const kind = f.path.split('.').pop()!;
    const k = kinds.get(kind) ?? { files: 0, bytes: 0 };
    kinds.set(kind, { files: k.files + 1, bytes: k.bytes + f.bytes });
  }
  const byKind = [...kinds].map(([kind, k]) => [kind, k.files, k.bytes] as const);
  results.miniprogram = { ...size, byKind: Object.fromEntries(byKind.map(([k, n, b]) => [k, { files: n, bytes: b }])) };
  md.push('## 7. Mini-program package (compiled as DevTools does: TS to minified JS per file, WXML, WXSS, JSON)', '');
  md.push('| files | size KiB | budget KiB | WeChat main-package limit KiB |', '|---:|---:|---:|---:|');
  md.push(`| ${size.files} | ${(size.totalBytes / 1024).toFixed(1)} | ${size.budgetBytes / 1024} | ${size.limitBytes / 1024} |`, '');
  md.push('| kind | files | KiB |', '|---|---:|---:|', ...byKind.map(([k, n, b]) => `| ${k} | ${n} | ${(b / 1024).toFixed(1)} |`), '');
}

// ------------------------------------------------------------------------------------------
// 8. The staff console: first load, first meaningful paint, and the overview's API.
async function consoleFigures(apiUrl: string) {
  const { buildConsole, consoleDist } = await import('../../infra/local/console');
  const { readFileSync } = await import('node:fs');
  await buildConsole();
  const html = readFileSync(join(consoleDist, 'index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
  if (assets.length === 0) throw new Error('console index.html references no assets');
  const sizes = assets.map((a) => {
    const body = readFileSync(join(consoleDist, a));
    return { asset: a, bytes: body.length, gzip: gzipSync(body).length };
  });
  const jsGzip = sizes.filter((x) => x.asset.endsWith('.js')).reduce((n, x) => n + x.gzip, 0);

  // The overview for the whole sub-district through HTTP, next to the one BatchGetItem it performs.
  const street = await tokenAs('street_staff');
  const { overview } = await import('../../shared/console/figures');
  const { readCounterItems } = await import('../../shared/stats/counters');
  const probe = await fetch(`${apiUrl}/v1/console/overview`, { headers: { authorization: `Bearer ${street}` } });
  if (probe.status !== 200) throw new Error(`GET /v1/console/overview answered ${probe.status}: ${await probe.text()}`);
  await overview({ userId: 'street-1', roles: ['street_staff'] }, undefined); // warm the org tree of this process too
  const today = new Date();
  const { beijingDate, beijingMonth } = await import('../../shared/time');
  const at = (domain: string, period: string) => ({ domain, period, dimension: 'ALL', value: 'all' });
  const wanted = [at('REQ', beijingMonth(today)), at('REQ', beijingDate(today)), at('REQ', 'current'), at('HH', 'current'), at('VISIT', beijingMonth(today)), at('VISIT', beijingDate(today)), at('VOL', beijingMonth(today)), at('JOB', beijingMonth(today))];
  const route = await timedLoop(1, 300, () => fetch(`${apiUrl}/v1/console/overview`, { headers: { authorization: `Bearer ${street}` } }).then((r) => r.arrayBuffer()));
  const bare = await timedLoop(1, 300, () => readCounterItems(wanted));
  // Where the difference goes: the same handler invoked in-process (no HTTP hop), and the HTTP hop
  // with the whole pipeline but no DynamoDB read (GET /v1/app-config).
  const { loadHandler, lambdaContext } = await import('../../infra/local/http-api');
  const handler = await loadHandler<(e: unknown, c: unknown) => Promise<unknown>>('functions/console/get-console-overview.ts');
  const event = { version: '2.0', routeKey: 'GET /v1/console/overview', rawPath: '/v1/console/overview', rawQueryString: '', headers: { authorization: `Bearer ${street}` }, requestContext: { http: { method: 'GET', path: '/v1/console/overview' }, requestId: 'bench' }, isBase64Encoded: false };
  const inProcess = await timedLoop(1, 300, () => handler(event, lambdaContext('bench', 29_000)));
  const hop = await timedLoop(1, 300, () => fetch(`${apiUrl}/v1/app-config`).then((r) => r.arrayBuffer()));

  // First meaningful paint: navigation start to the overview's first figure on screen, signed in.
  const { launch, signIn } = await import('../../infra/console/capture');
  const browser = await launch();
  const paints: number[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signIn(page, apiUrl);
    for (let i = 0; i < 7; i++) {
      await page.goto('about:blank');
      await page.goto(`${apiUrl}/console/#/overview`);
      await page.locator('[data-testid="open"] .figure-value').waitFor({ timeout: 20_000 });
      paints.push(await page.evaluate(() => performance.now()));
    }
  } finally {
    await browser.close();
  }
  const paint = pct(paints.slice(2), 50);
  results.console = { assets: sizes, jsGzip, jsBudget: 350 * 1024, overview: { route, bare, inProcess, httpHopNoDb: hop, ratio: route.p50 / bare.p50, inProcessRatio: inProcess.p50 / bare.p50 }, firstPaintMs: paints, firstPaintMedianMs: paint };
  md.push('## 8. Staff console', '');
  md.push('| asset | KiB | gzip KiB |', '|---|---:|---:|', ...sizes.map((x) => `| ${x.asset} | ${(x.bytes / 1024).toFixed(1)} | ${(x.gzip / 1024).toFixed(1)} |`), '');
  md.push(`Initial JS ${(jsGzip / 1024).toFixed(1)} KiB gzip (budget 350). First meaningful paint of the overview (navigation to the first figure, warm cache, median of 5 after 2 warm-ups): ${ms(paint)} ms (budget 1500).`, '');
  md.push('| overview (whole sub-district) | p50 ms | p99 ms | bare BatchGetItem (8 rows) p50 | p99 | p50 ratio |', '|---|---:|---:|---:|---:|---:|');
  md.push(`| GET /v1/console/overview, 1 client | ${ms(route.p50)} | ${ms(route.p99)} | ${ms(bare.p50)} | ${ms(bare.p99)} | ${(route.p50 / bare.p50).toFixed(2)}x |`);
  md.push(`| its handler invoked in-process (no HTTP) | ${ms(inProcess.p50)} | ${ms(inProcess.p99)} | ${ms(bare.p50)} | ${ms(bare.p99)} | ${(inProcess.p50 / bare.p50).toFixed(2)}x |`);
  md.push(`| HTTP hop + pipeline, no read (GET /v1/app-config) | ${ms(hop.p50)} | ${ms(hop.p99)} | — | — | — |`, '');
}

// ------------------------------------------------------------------------------------------
/**
 * Cold starts with an honest floor (#18 item 2): each function bundled as the stack bundles it,
 * imported and invoked once in a fresh Node process against the running local stack, median of
 * 10; next to (a) an empty handler and (b) a bare handler bundling the DynamoDB and SQS clients and
 * making one GetItem — the least a route that reads the table can cost. A run that does not answer
 * 200 fails the bench.
 */
async function coldStarts(stack: { env: Record<string, string> }) {
  // Inside the project, so that the bare handler's imports resolve from its node_modules.
  const dir = resolve(root, '.build/bench-cold');
  mkdirSync(dir, { recursive: true });
  const resident = await tokenAs('resident', 'resident-1');
  const worker = await tokenAs('grid_worker', 'gw-G001-ft');
  writeFileSync(join(dir, 'empty.ts'), 'export const handler = async () => ({ statusCode: 200 });\n');
  writeFileSync(
    join(dir, 'bare.ts'),
    [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { SQSClient } from '@aws-sdk/client-sqs';",
      "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
      'const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT }));',
      'export const sqs = new SQSClient({ endpoint: process.env.SQS_ENDPOINT });',
      "export const handler = async () => ({ statusCode: (await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'USER#resident-1', sk: 'PROFILE' } }))).Item ? 200 : 404 });",
    ].join('\n'),
  );
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const cases = [
    { id: '(a) empty handler', entry: join(dir, 'empty.ts'), path: '/' },
    { id: '(b) bare GetItem handler (DynamoDB + SQS clients)', entry: join(dir, 'bare.ts'), path: '/' },
    ...[
      { id: 'getHealth', path: '/health' },
      { id: 'getMe', path: '/v1/me', headers: bearer(resident) },
      { id: 'getMyRequests', path: '/v1/me/requests', headers: bearer(resident) },
      { id: 'getInbox', path: '/v1/inbox', headers: bearer(worker), query: { status: 'assigned' } },
      { id: 'getJobs', path: '/v1/jobs' },
      { id: 'getActivities', path: '/v1/activities' },
      { id: 'getRequestTypes', path: '/v1/request-types' },
      { id: 'getOpen311Document', path: '/open311/v2/services.json', params: { document: 'services.json' } },
    ].map((c) => ({ ...c, entry: resolve(root, routes.find((r) => r.id === c.id)!.handler) })),
  ];
  const env = { ...process.env, ...stack.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', POWERTOOLS_LOG_LEVEL: 'ERROR' };
  const rows: { id: string; kib: number; importMs: number; firstMs: number; totalMs: number }[] = [];
  const { httpEvent } = await import('../fixtures/events');
  for (const c of cases) {
    const out = await build({ ...lambdaEsbuildOptions, entryPoints: [c.entry], write: false, logLevel: 'silent' });
    const file = join(dir, `${c.id.replace(/\W+/g, '_')}.mjs`);
    writeFileSync(file, out.outputFiles[0]!.contents);
    const event = httpEvent({ method: 'GET', path: c.path, headers: (c as { headers?: Record<string, string> }).headers ?? {}, query: (c as { query?: Record<string, string> }).query, params: (c as { params?: Record<string, string> }).params });
    const script = `const t0=performance.now(); const m=await import(${JSON.stringify(file)}); const t1=performance.now(); const r=await m.handler(JSON.parse(process.env.BENCH_EVENT), { awsRequestId: 'bench', getRemainingTimeInMillis: () => 10000 }); const t2=performance.now(); console.log(JSON.stringify({ importMs: t1-t0, firstMs: t2-t1, status: r.statusCode })); process.exit(0)`;
    const runs: { importMs: number; firstMs: number }[] = [];
    for (let i = 0; i < 10; i++) {
      // Not spawnSync: the SQS emulator runs in this process and must keep answering. The SDK keeps
      // its sockets open, so the script exits by itself; a hung run fails after 30 s.
      const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
        execFile(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, env: { ...env, BENCH_EVENT: JSON.stringify(event) } }, (err, stdout, stderr) =>
          done({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
      let parsed: { importMs: number; firstMs: number; status: number } | undefined;
      try {
        parsed = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
      } catch {
        parsed = undefined;
      }
      if (r.status !== 0 || !parsed || parsed.status !== 200) throw new Error(`cold start of ${c.id} failed (exit ${r.status}, status ${parsed?.status}): ${r.stderr.slice(0, 500)} ${r.stdout.slice(0, 300)}`);
      runs.push(parsed);
    }
    rows.push({ id: c.id, kib: out.outputFiles[0]!.contents.byteLength / 1024, importMs: pct(runs.map((x) => x.importMs), 50), firstMs: pct(runs.map((x) => x.firstMs), 50), totalMs: pct(runs.map((x) => x.importMs + x.firstMs), 50) });
  }
  results.coldStarts = rows;
  const [empty, bare] = rows as [(typeof rows)[0], (typeof rows)[0]];
  md.push('## 1b. Cold starts: fresh process, import + first invocation against the local stack (median of 10)', '');
  md.push('| function | KiB | import ms | import − empty | first call ms | total ms | total ÷ (b) | goal |', '|---|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const ratio = r.totalMs / bare.totalMs;
    const overEmpty = r.importMs - empty.importMs;
    const verdict = r.id.startsWith('(') ? '' : `${ratio <= 1.3 ? '✓' : '✗'} ≤ 1.3×, ${overEmpty <= 40 ? '✓' : '✗'} ≤ 40 ms`;
    md.push(`| ${r.id} | ${r.kib.toFixed(1)} | ${ms(r.importMs)} | ${ms(overEmpty)} | ${ms(r.firstMs)} | ${ms(r.totalMs)} | ${ratio.toFixed(2)}× | ${verdict} |`);
  }
  md.push('');
  const measured = rows.filter((r) => !r.id.startsWith('('));
  const slowest = measured.reduce((a, b) => (b.totalMs > a.totalMs ? b : a));
  const heaviest = measured.reduce((a, b) => (b.importMs > a.importMs ? b : a));
  goal(`Cold start, import + first call ÷ the bare handler (worst: ${slowest.id})`, '≤ 1.3×', slowest.totalMs / bare.totalMs, (x) => x <= 1.3);
  goal(`Cold import − the empty handler's (worst: ${heaviest.id})`, '≤ 40 ms', heaviest.importMs - empty.importMs, (x) => x <= 40, 'ms');
}

/** `npm run bench -- console` runs only the named sections (bundles, coldstarts, miniprogram, trips, routing, routes, signups, households, console). */
const only = new Set(process.argv.slice(2));
const want = (name: string) => only.size === 0 || only.has(name);

async function main() {
  if (want('bundles')) await bundles();
  if (want('miniprogram')) await miniprogram();
  const stack = await startLocalStack({ prefix: 'bench-', stage: 'test', port: 0, workers: true });
  try {
    await seedDemoData();
    const { CreateQueueCommand } = await import('@aws-sdk/client-sqs');
    benchQueue = (await sqs().send(new CreateQueueCommand({ QueueName: 'bench-bare' }))).QueueUrl!;
    if (want('trips')) await roundTrips(stack.apiUrl, stack.pollers);
    if (want('routing')) await routingLatency(stack.apiUrl);
    if (want('routes')) await httpRoutes(stack.apiUrl);
    if (want('signups')) await signups(stack.apiUrl);
    if (want('households')) await households();
    if (want('console')) await consoleFigures(stack.apiUrl);
    if (want('coldstarts')) await coldStarts(stack);
  } finally {
    await stack.stop();
  }
  if (goals.length) {
    md.push('## Goals (#18): this run against each', '', '| goal | target | measured | met |', '|---|---|---|---|');
    for (const g of goals) md.push(`| ${g.goal} | ${g.target} | ${g.measured} | ${g.met ? '✓' : '✗'} |`);
    md.push('');
    results.goals = goals;
  }
  mkdirSync(resolve(root, 'bench-results'), { recursive: true });
  writeFileSync(resolve(root, 'bench-results/bench.json'), JSON.stringify(results, null, 2));
  console.log(['# Benchmarks', '', `Node ${process.version}, ${new Date().toISOString()}; local stack: DynamoDB Local (in memory) + fauxqs, handlers in-process.`, '', ...md].join('\n'));
  process.exit(0);
}

await main();
