import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import type { TransactItem } from '../db/conditions';
import { writeIf } from '../db/conditions';
import { fromItem } from '../db/items';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import { type Application, type Employer, type Job, type JobView,jobView, monthlyEquivalent } from './model';




export async function getEmployer(employerId: string): Promise<Employer | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.employer(employerId) }));
  return out.Item ? fromItem<Employer>(out.Item) : null;
}

export async function getJob(jobId: string, consistent = false): Promise<Job | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.job(jobId), ConsistentRead: consistent }));
  return out.Item ? fromItem<Job>(out.Item) : null;
}

/**
 * Writes a job and keeps its listing copies in step, in one transaction guarded by the version
 * read: an open job is in every feed of its combination, any other status in none.
 */
export async function saveJob(after: Job, before: Job | null, also: TransactItem[] = []): Promise<boolean> {
  const table = config().TABLE_NAME;
  const open = after.status === 'open';
  const newFeeds = open ? keys.jobFeedsOf(after) : [];
  const oldFeeds = before?.status === 'open' ? keys.jobFeedsOf(before) : [];
  const view = jobView(after);
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table,
        Item: {
          ...keys.job(after.jobId),
          ...keys.jobByEmployer(after.employerId, after.datePosted, after.jobId),
          ...(open ? keys.jobExpiry(after.validThrough, after.jobId) : {}),
          type: 'Job',
          ...after,
        },
        ...(before
          ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': before.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    ...newFeeds.map((feed) => ({
      Put: {
        TableName: table,
        Item: {
          ...keys.jobListing(after.jobId, feed),
          ...keys.jobFeed(feed, after.datePosted, after.jobId),
          type: 'JobListing',
          ...view,
          monthlySalaryMax: monthlyEquivalent(after.salary),
        },
      },
    })),
    ...oldFeeds.filter((f) => !newFeeds.includes(f)).map((feed) => ({ Delete: { TableName: table, Key: keys.jobListing(after.jobId, feed) } })),
    ...also,
  ];
  return writeIf(() =>
    ddb().send(new TransactWriteCommand({ TransactItems: items })),
  );
}

export interface JobFilters {
  feed: string;
  minMonthlySalary?: number;
  keyword?: string;
  employmentType?: string;
}

/**
 * One Query per page on the feed that matches the filters. Salary, keyword (and employment
 * type within one employer's feed) are applied by DynamoDB as a filter on that page, so a page
 * may hold fewer than `limit` jobs while `nextCursor` still leads on.
 */
export async function listOpenJobs(f: JobFilters, limit: number, cursor?: string): Promise<{ items: JobView[]; nextCursor: string | null }> {
  const filters: string[] = [];
  const values: Record<string, unknown> = { ':pk': keys.jobFeedPartition(f.feed) };
  const names: Record<string, string> = {};
  if (f.minMonthlySalary !== undefined) {
    filters.push('monthlySalaryMax >= :min');
    values[':min'] = f.minMonthlySalary;
  }
  if (f.keyword) {
    filters.push('contains(title, :kw)');
    values[':kw'] = f.keyword;
  }
  if (f.employmentType) {
    filters.push('employmentType = :et');
    values[':et'] = f.employmentType;
  }
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      IndexName: 'byFeed',
      KeyConditionExpression: 'feedPk = :pk',
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeValues: values,
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: (out.Items ?? []).map((i) => fromItem<JobView>(i)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** An employer's jobs, newest first, optionally of one status: one Query on the employer's partition. */
export async function listEmployerJobs(employerId: string, status: string | undefined, limit: number, cursor?: string): Promise<{ items: Job[]; nextCursor: string | null }> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :pk',
      ...(status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':pk': keys.jobByEmployerPartition(employerId), ...(status ? { ':status': status } : {}) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: (out.Items ?? []).map((i) => fromItem<Job>(i)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

export async function listExpiring(now: Date, limit: number): Promise<Job[]> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      IndexName: 'byLookup',
      KeyConditionExpression: 'lookupPk = :pk AND lookupSk < :now',
      ExpressionAttributeValues: { ':pk': keys.jobExpiryPartition, ':now': now.toISOString() },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => fromItem<Job>(i));
}

// --- applications ---------------------------------------------------------------------------

function applicationItem(a: Application): Record<string, unknown> {
  return {
    ...keys.application(a.applicationId),
    ...keys.applicationByApplicant(a.applicantId, a.appliedAt, a.jobId),
    ...keys.applicationByJob(a.employerId, a.jobId, a.appliedAt, a.applicantId),
    type: 'Application',
    ...a,
  };
}

/**
 * Creates an application if the job is open and the person has none for it: the id is derived
 * from job and person, so fifty concurrent clicks meet one condition and one of them wins.
 */
export async function createApplication(a: Application, now: Date, also: TransactItem[] = []): Promise<'created' | 'exists' | 'job_not_open'> {
  try {
    await ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: config().TABLE_NAME,
              Key: keys.job(a.jobId),
              ConditionExpression: '#s = :open AND validThrough > :now',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':open': 'open', ':now': now.toISOString() },
            },
          },
          { Put: { TableName: config().TABLE_NAME, Item: applicationItem(a), ConditionExpression: 'attribute_not_exists(pk)' } },
          ...also,
        ],
      }),
    );
    return 'created';
  } catch (err) {
    const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (reasons?.[1]?.Code === 'ConditionalCheckFailed') return 'exists';
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return 'job_not_open';
    throw err;
  }
}

export async function getApplication(applicationId: string): Promise<Application | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.application(applicationId), ConsistentRead: true }));
  return out.Item ? fromItem<Application>(out.Item) : null;
}

export function applicationPut(after: Application, expectedVersion: number): TransactItem {
  return {
    Put: {
      TableName: config().TABLE_NAME,
      Item: applicationItem(after),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    },
  };
}

export async function saveApplication(after: Application, expectedVersion: number, also: TransactItem[] = []): Promise<boolean> {
  return writeIf(() =>
    ddb().send(new TransactWriteCommand({ TransactItems: [applicationPut(after, expectedVersion), ...also] })),
  );
}

async function queryApplications(index: 'byOwner' | 'byScope', pkName: string, pk: string, limit: number, cursor?: string) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      IndexName: index,
      KeyConditionExpression: `${pkName} = :pk`,
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: (out.Items ?? []).map((i) => fromItem<Application>(i)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

export const listApplicationsOfApplicant = (userId: string, limit: number, cursor?: string) =>
  queryApplications('byOwner', 'ownerPk', keys.applicationByApplicantPartition(userId), limit, cursor);
export const listApplicationsOfJob = (employerId: string, jobId: string, limit: number, cursor?: string) =>
  queryApplications('byScope', 'scopePk', keys.applicationByJobPartition(employerId, jobId), limit, cursor);
