import { ScanCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import type { ServiceRequest } from '../../shared/requests/model';
import { monthOf, readCounterRows, reconcileCounterDeltas } from '../../shared/stats/counters';
import { beijingMonth } from '../../shared/time';
import type { Activity, Signup } from '../../shared/volunteers/model';

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
 * - households by colour now;
 * - volunteering per month of the activity (overall, by team, by type): activities held, person-times
 *   and minutes served, and each volunteer's own total (minutes and activities, on their profile);
 * - every activity's seats: `confirmed` equals the seat holders, each holder has a confirmed or
 *   offered record and each waiter a waitlisted one, and no record claims a seat or a place the
 *   activity does not give (partition `SEATS#<activityId>`).
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
    const out = await ddb().send(
      new ScanCommand({
        TableName: config().TABLE_NAME,
        ExclusiveStartKey: start,
        FilterExpression: '#t IN (:r, :h, :a, :s) OR (begins_with(pk, :vp) AND sk = :profile)',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':r': 'Request', ':h': 'Household', ':a': 'Activity', ':s': 'Signup', ':vp': 'VOLUNTEER#', ':profile': 'PROFILE' },
      }),
    );
    for (const item of out.Items ?? []) yield item;
    start = out.LastEvaluatedKey;
  } while (start);
}

const settledName = { grid: 'settledGrid', community: 'settledCommunity', street: 'settledStreet', legal: 'settledLegal' } as const;

export async function recount(): Promise<{ disagreements: Disagreement[]; checked: number; requests: number; households: number; notComparable: number; activities: number }> {
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
  const seats = new Seats();
  const profiles = new Map<string, Record<string, number>>(); // userId -> counted totals

  for await (const item of scanAll()) {
    if (item.type === 'Activity') {
      const a = item as unknown as Activity;
      seats.activity(a);
      if (a.status === 'finished') for (const t of volTargets(a)) add(expected, `STATS#VOL#${monthOf(a.startAt)}`, t, 'activitiesHeld');
      continue;
    }
    if (item.type === 'Signup') {
      const v = item as unknown as Signup;
      seats.record(v);
      if (v.checkedOutAt) {
        for (const t of volTargets(v)) {
          add(expected, `STATS#VOL#${monthOf(v.startAt)}`, t, 'personTimes');
          add(expected, `STATS#VOL#${monthOf(v.startAt)}`, t, 'volunteerMinutes', v.minutes ?? 0);
        }
        add(expected, 'VOLUNTEER', v.userId, 'totalMinutes', v.minutes ?? 0);
        add(expected, 'VOLUNTEER', v.userId, 'activities');
      }
      continue;
    }
    if (String(item.pk).startsWith('VOLUNTEER#')) {
      profiles.set(String(item.userId ?? String(item.pk).slice('VOLUNTEER#'.length)), { totalMinutes: Number(item.totalMinutes ?? 0), activities: Number(item.activities ?? 0) });
      continue;
    }
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
      if (r.channel) add(expected, month, t, r.channel.kind === 'hotline_12345' ? 'viaHotline' : 'viaPartner');
      add(expected, month, t, 'mediationAgreements', Number(!!r.mediation?.agreedAt));
      if (stable && r.resolvedAt && (r.outcome === 'resolved' || r.outcome === 'not_resolved' || r.outcome === 'referred')) {
        if (r.outcome === 'resolved') add(expected, month, t, 'resolved');
        if (r.outcome === 'not_resolved') add(expected, month, t, 'notResolved');
        add(expected, month, t, settledName[r.level ?? 'street']);
        if (!r.overdueAt) add(expected, month, t, 'resolvedOnTime');
      }
    }
    mark('STATS#REQ#current', ['open', 'overdueOpen']);
    mark(month, ['submitted', 'accepted', 'escalated', 'overdue', 'rated', 'ratingSum', 'ratedHigh', 'mediationCases', 'mediationAgreements', 'viaHotline', 'viaPartner']);
  }
  mark('STATS#HH#current', ['red', 'yellow', 'green']);
  for (const partition of expected.keys()) if (partition.startsWith('STATS#VOL#')) mark(partition, ['activitiesHeld', 'personTimes', 'volunteerMinutes']);
  // Months where no request was reopened also compare the resolve counters.
  for (const partition of compared.keys()) {
    if (partition.startsWith('STATS#REQ#2') && !monthsWithReopen.has(partition)) mark(partition, ['resolved', 'notResolved', 'resolvedOnTime', ...Object.values(settledName)]);
  }
  const disagreements: Disagreement[] = [];
  let checked = 0;
  for (const [partition, counters] of compared) {
    const [, domain, period] = partition.split('#') as [string, string, string];
    const actual = new Map<string, Record<string, unknown>>();
    for (const dim of domain === 'VOL' ? ['ALL', 'TEAM', 'TYPE'] : ['ALL', 'TYPE', 'GRID', 'COMMUNITY']) for (const row of await readCounterRows(domain, period, dim)) actual.set(`${dim}#${String(row.key)}`, row);
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
  // Each volunteer's own total, against the check-outs recorded.
  const wantProfiles = expected.get('VOLUNTEER') ?? new Map<string, Record<string, number>>();
  for (const userId of new Set([...wantProfiles.keys(), ...profiles.keys()])) {
    for (const counter of ['totalMinutes', 'activities']) {
      const recomputed = wantProfiles.get(userId)?.[counter] ?? 0;
      const counted = profiles.get(userId)?.[counter] ?? 0;
      checked++;
      if (counted !== recomputed) disagreements.push({ partition: 'VOLUNTEER', row: userId, counter, counted, recomputed });
    }
  }
  const seatChecks = seats.disagreements();
  disagreements.push(...seatChecks.disagreements);
  checked += seatChecks.checked;
  return { disagreements, checked, requests, households, notComparable, activities: seats.count };
}

const volTargets = (x: { teamId: string; activityType: string }) => ['ALL#all', `TEAM#${x.teamId}`, `TYPE#${x.activityType}`];

/**
 * An activity's seats against its volunteers' records. The activity item holds the truth of who
 * has a seat or a place (every seat change is conditional on it); each holder's record must say so.
 */
class Seats {
  private readonly activities = new Map<string, Activity>();
  private readonly records = new Map<string, Signup[]>();

  get count(): number {
    return this.activities.size;
  }

  activity(a: Activity): void {
    this.activities.set(a.activityId, a);
  }

  record(s: Signup): void {
    this.records.set(s.activityId, [...(this.records.get(s.activityId) ?? []), s]);
  }

  disagreements(): { disagreements: Disagreement[]; checked: number } {
    const out: Disagreement[] = [];
    let checked = 0;
    const expect = (partition: string, row: string, counter: string, counted: number, recomputed: number) => {
      checked++;
      if (counted !== recomputed) out.push({ partition, row, counter, counted, recomputed });
    };
    for (const [activityId, a] of this.activities) {
      const partition = `SEATS#${activityId}`;
      const members = Object.keys(a.members ?? {});
      const waiting = Object.keys(a.waitPos ?? {});
      const byUser = new Map((this.records.get(activityId) ?? []).map((s) => [s.userId, s]));
      expect(partition, 'activity', 'confirmed', a.confirmed, members.length);
      // 1 = the record agrees with the activity, 0 = it does not (missing, or another status).
      for (const u of members) expect(partition, u, 'seatRecorded', Number(['confirmed', 'offered', 'no_show'].includes(byUser.get(u)?.status ?? '')), 1);
      for (const u of waiting) expect(partition, u, 'placeRecorded', Number(byUser.get(u)?.status === 'waitlisted'), 1);
      for (const [u, s] of byUser) {
        if (s.status === 'confirmed' || s.status === 'offered') expect(partition, u, 'seatHeld', Number(members.includes(u)), 1);
        if (s.status === 'waitlisted') expect(partition, u, 'placeHeld', Number(waiting.includes(u)), 1);
      }
    }
    return { disagreements: out, checked };
  }
}
