import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import type { ServiceRequest } from '../../shared/requests/model';
import { readCounterRows, reconcileCounterDeltas } from '../../shared/stats/counters';
import { beijingMonth } from '../../shared/time';

/**
 * `npm run recount`: recomputes the figures from the items themselves and lists every counter that
 * disagrees — the tool an operator runs after an incident. Figures cannot drift by a crash any
 * more (each change commits its counter delta, folded exactly once; see counterDelta), so a
 * disagreement means a bug or a hand edit. It first folds every pending delta, so a delta not
 * folded yet is not reported as a disagreement. An operator's tool, kept in infra/ops/ beside
 * the command that runs it and out of shared/ (which every request path imports): it Scans the
 * whole table once, page by page, which no request path may do.
 *
 * What it checks, for the sub-district, every community, grid and type:
 * - now: open (assigned or in progress) and overdue open (open with `overdueAt`);
 * - per month of submission: submitted, accepted, escalated, overdue, ratings, mediation cases and
 *   agreements, and — for requests never reopened — resolved / not resolved, resolved on time and
 *   settled per level (a reopened request is counted at each resolve, which its final state
 *   cannot tell apart; those months are reported as not comparable, not as wrong);
 * - households by colour now.
 */
export interface Disagreement {
  partition: string;
  row: string;
  counter: string;
  counted: number;
  recomputed: number;
}

type Rows = Map<string, Map<string, Record<string, number>>>; // partition -> row -> counters

function add(rows: Rows, partition: string, row: string, counter: string, n = 1) {
  if (!n) return;
  const p = rows.get(partition) ?? new Map<string, Record<string, number>>();
  rows.set(partition, p);
  const r = p.get(row) ?? {};
  p.set(row, r);
  r[counter] = (r[counter] ?? 0) + n;
}

async function* scanAll(): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb().send(new ScanCommand({ TableName: config().TABLE_NAME, ExclusiveStartKey: start, FilterExpression: '#t IN (:r, :h)', ExpressionAttributeNames: { '#t': 'type' }, ExpressionAttributeValues: { ':r': 'Request', ':h': 'Household' } }));
    for (const item of out.Items ?? []) yield item;
    start = out.LastEvaluatedKey;
  } while (start);
}

const settledName = { grid: 'settledGrid', community: 'settledCommunity', street: 'settledStreet', legal: 'settledLegal' } as const;

export async function recount(): Promise<{ disagreements: Disagreement[]; checked: number; requests: number; households: number; notComparable: number }> {
  await reconcileCounterDeltas(new Date(), 0);
  const expected: Rows = new Map();
  const compared = new Map<string, Set<string>>(); // partition -> counters compared there
  const mark = (partition: string, counters: string[]) => {
    const s = compared.get(partition) ?? new Set<string>();
    counters.forEach((c) => s.add(c));
    compared.set(partition, s);
  };
  let requests = 0;
  let households = 0;
  let notComparable = 0;
  const monthsWithReopen = new Set<string>();

  for await (const item of scanAll()) {
    if (item.type === 'Household') {
      households++;
      const targets = [`GRID#${String(item.gridId)}`, `COMMUNITY#${String(item.communityId)}`, 'ALL#all'];
      for (const t of targets) {
        add(expected, 'STATS#HH#current', t, String(item.colour));
      }
      continue;
    }
    const r = item as unknown as ServiceRequest;
    if (r.status === 'submitted') continue;
    requests++;
    const targets = ['ALL#all', `TYPE#${r.typeCode}`, ...(r.gridId ? [`GRID#${r.gridId}`] : []), ...(r.communityId ? [`COMMUNITY#${r.communityId}`] : [])];
    const month = `STATS#REQ#${beijingMonth(r.createdAt)}`;
    const open = r.status === 'assigned' || r.status === 'in_progress';
    const stable = r.reopenCount === 0;
    if (!stable) {
      notComparable++;
      monthsWithReopen.add(month);
    }
    for (const t of targets) {
      add(expected, 'STATS#REQ#current', t, 'open', Number(open));
      add(expected, 'STATS#REQ#current', t, 'overdueOpen', Number(open && !!r.overdueAt));
      add(expected, month, t, 'submitted');
      add(expected, month, t, 'accepted', Number(!!r.acceptedAt));
      add(expected, month, t, 'escalated', r.escalations);
      add(expected, month, t, 'overdue', Number(!!r.overdueAt));
      if (r.rating) {
        add(expected, month, t, 'rated');
        add(expected, month, t, 'ratingSum', r.rating.score);
        add(expected, month, t, 'ratedHigh', Number(r.rating.score >= 4));
      }
      if (r.typeCode === 'dispute_mediation') add(expected, month, t, 'mediationCases');
      add(expected, month, t, 'mediationAgreements', Number(!!r.mediation?.agreedAt));
      if (stable && r.resolvedAt && (r.outcome === 'resolved' || r.outcome === 'not_resolved' || r.outcome === 'referred')) {
        if (r.outcome === 'resolved') add(expected, month, t, 'resolved');
        if (r.outcome === 'not_resolved') add(expected, month, t, 'notResolved');
        add(expected, month, t, settledName[r.level ?? 'street']);
        if (!r.overdueAt) add(expected, month, t, 'resolvedOnTime');
      }
    }
    mark('STATS#REQ#current', ['open', 'overdueOpen']);
    mark(month, ['submitted', 'accepted', 'escalated', 'overdue', 'rated', 'ratingSum', 'ratedHigh', 'mediationCases', 'mediationAgreements']);
  }
  mark('STATS#HH#current', ['red', 'yellow', 'green']);
  // Months where no request was reopened also compare the resolve counters.
  for (const partition of compared.keys()) {
    if (partition.startsWith('STATS#REQ#2') && !monthsWithReopen.has(partition)) mark(partition, ['resolved', 'notResolved', 'resolvedOnTime', ...Object.values(settledName)]);
  }
  const disagreements: Disagreement[] = [];
  let checked = 0;
  for (const [partition, counters] of compared) {
    const [, domain, period] = partition.split('#') as [string, string, string];
    const actual = new Map<string, Record<string, unknown>>();
    for (const dim of ['ALL', 'TYPE', 'GRID', 'COMMUNITY']) for (const row of await readCounterRows(domain, period, dim)) actual.set(`${dim}#${String(row.key)}`, row);
    const want = expected.get(partition) ?? new Map<string, Record<string, number>>();
    for (const row of new Set([...want.keys(), ...actual.keys()])) {
      for (const counter of counters) {
        const recomputed = want.get(row)?.[counter] ?? 0;
        const counted = Number(actual.get(row)?.[counter] ?? 0);
        checked++;
        if (counted !== recomputed) disagreements.push({ partition, row, counter, counted, recomputed });
      }
    }
  }
  return { disagreements, checked, requests, households, notComparable };
}
