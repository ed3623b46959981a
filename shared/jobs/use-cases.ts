import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { keys } from '../db/keys';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { readableId } from '../ids';
import { enqueue, flushOutbox, type OutboxEntry,outboxPut } from '../queue/messages';
import { deltaPuts, foldCounterDeltas } from '../stats/counters';
import { getUser } from '../users/repository';
import {
  type Application,
  type ApplicationStatus,
  applicationStatusNames,
  employerKindNames,
  finalApplicationStatuses,
  type Job,
  type JobInput,
  type JobStatus,
  type JobView,
  jobView,
} from './model';
import {
  applicationPut,
  createApplication,
  getApplication,
  getEmployer,
  getJob,
  listApplicationsOfApplicant,
  listApplicationsOfJob,
  listEmployerJobs,
  listExpiring,
  listOpenJobs,
  saveApplication,
  saveJob,
} from './repository';
import { decideApplicationMove, jobDelta, tell } from './transitions';

const conflict = () => new ConflictError('CONCURRENT_UPDATE', '岗位信息刚被修改过，请刷新后重试');

// --- listing ----------------------------------------------------------------------------------

export interface JobQuery {
  employerKind?: Job['employerKind'];
  employerId?: string;
  employmentType?: Job['employmentType'];
  minSalary?: number;
  keyword?: string;
  limit: number;
  cursor?: string;
}

export function listJobs(q: JobQuery) {
  const feed = keys.jobFeedFor(q);
  return listOpenJobs({ feed, minMonthlySalary: q.minSalary, keyword: q.keyword, employmentType: q.employerId ? q.employmentType : undefined }, q.limit, q.cursor);
}

export async function jobDetail(jobId: string, p?: Principal): Promise<JobView> {
  const job = await getJob(jobId);
  // Drafts are the employer's own business until published.
  if (!job || (job.status === 'draft' && !canManage(p, job.employerId))) throw new NotFoundError('JOB_NOT_FOUND', '没有找到这个岗位');
  return jobView(job);
}

/** schema.org JobPosting, so listings can be published to other job services. */
export function toJsonLd(j: JobView): Record<string, unknown> {
  const unitText = { month: 'MONTH', day: 'DAY', piece: 'PIECE' }[j.salary.unit];
  const employmentType = { full_time: 'FULL_TIME', part_time: 'PART_TIME', temporary: 'TEMPORARY', piecework: 'OTHER' }[j.employmentType];
  return {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    identifier: { '@type': 'PropertyValue', name: j.employerName, value: j.jobId },
    title: j.title,
    description: j.description,
    datePosted: j.datePosted,
    validThrough: j.validThrough,
    employmentType,
    hiringOrganization: { '@type': 'Organization', name: j.employerName },
    jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', streetAddress: j.location.address, addressCountry: 'CN' } },
    baseSalary: { '@type': 'MonetaryAmount', currency: 'CNY', value: { '@type': 'QuantitativeValue', minValue: j.salary.min, maxValue: j.salary.max, unitText } },
    totalJobOpenings: j.openingsLeft,
    skills: j.skills.join('、') || undefined,
    jobBenefits: [j.benefits.meals && '包吃', j.benefits.housing && '包住', j.benefits.transport && '交通补贴'].filter(Boolean).join('、') || undefined,
    workHours: j.workHours,
    industry: employerKindNames[j.employerKind],
  };
}

// --- employers' postings ------------------------------------------------------------------------

function canManage(p: Principal | undefined, employerId: string): boolean {
  return !!p && (hasRole(p, 'admin') || (hasRole(p, 'employer') && p.workshopId === employerId));
}

export async function createJob(p: Principal, input: JobInput & { employerId?: string; status?: 'draft' | 'open' }, now = new Date()): Promise<JobView> {
  const employerId = hasRole(p, 'admin') ? input.employerId : p.workshopId;
  if (!employerId) {
    throw new BadRequestError('EMPLOYER_REQUIRED', '请指定用工单位', [{ field: 'body.employerId', reason: 'required', message: '管理员发布岗位需指定用工单位' }]);
  }
  if (!canManage(p, employerId)) throw new ForbiddenError('NOT_YOUR_EMPLOYER', '只能发布本单位的岗位');
  const employer = await getEmployer(employerId);
  if (!employer) throw new BadRequestError('EMPLOYER_NOT_FOUND', '用工单位不存在', [{ field: 'body.employerId', reason: 'not_found', message: '用工单位不存在' }]);
  const status = input.status ?? 'open';
  if (status === 'open' && Date.parse(input.validThrough) <= now.getTime()) {
    throw new BadRequestError('VALID_THROUGH_PASSED', '截止时间必须晚于现在', [{ field: 'body.validThrough', reason: 'past', message: '截止时间已过' }]);
  }
  const { employerId: _e, status: _s, ...fields } = input;
  const job: Job = {
    ...fields,
    jobId: readableId('J', now),
    employerId,
    employerName: employer.name,
    employerKind: employer.kind,
    status,
    datePosted: now.toISOString(),
    hired: 0,
    version: 1,
    updatedAt: now.toISOString(),
  };
  const delta = status === 'open' ? jobDelta(job, job.datePosted, { openings: job.openings }) : null;
  if (!(await saveJob(job, null, deltaPuts(delta)))) throw conflict();
  await foldCounterDeltas([delta]);
  return jobView(job);
}

export async function updateJob(p: Principal, jobId: string, patch: Partial<JobInput> & { status?: 'draft' | 'open' | 'closed' }, now = new Date()): Promise<JobView> {
  const job = await getJob(jobId, true);
  if (!job || !canManage(p, job.employerId)) throw new NotFoundError('JOB_NOT_FOUND', '没有找到这个岗位');
  const after: Job = { ...job, ...patch, status: patch.status ?? job.status, version: job.version + 1, updatedAt: now.toISOString() };
  if (after.salary.max < after.salary.min) throw new BadRequestError('VALIDATION_FAILED', '最高工资不能低于最低工资', [{ field: 'body.salary.max', reason: 'too_small', message: '最高工资不能低于最低工资' }]);
  if (after.status === 'open' && job.status !== 'open') {
    if (Date.parse(after.validThrough) <= now.getTime()) throw new ConflictError('VALID_THROUGH_PASSED', '截止时间已过，请先延长截止时间');
    if (after.hired >= after.openings) throw new ConflictError('NO_OPENINGS_LEFT', '招聘人数已满，请先增加招聘人数');
  }
  const delta = after.status === 'open' && job.status !== 'open' ? jobDelta(after, now.toISOString(), { openings: after.openings - after.hired }) : null;
  if (!(await saveJob(after, job, deltaPuts(delta)))) throw conflict();
  await foldCounterDeltas([delta]);
  return jobView(after);
}

// --- applications -------------------------------------------------------------------------------

export function applicationIdOf(jobId: string, userId: string): string {
  return `${jobId}~${userId}`;
}

export function applicationView(a: Application) {
  return { ...a, statusName: applicationStatusNames[a.status] };
}

export async function apply(p: Principal, jobId: string, note: string | undefined, now = new Date()) {
  const job = await getJob(jobId);
  if (!job || job.status === 'draft') throw new NotFoundError('JOB_NOT_FOUND', '没有找到这个岗位');
  const user = await getUser(p.userId);
  const at = now.toISOString();
  const a: Application = {
    applicationId: applicationIdOf(jobId, p.userId),
    jobId,
    jobTitle: job.title,
    employerId: job.employerId,
    applicantId: p.userId,
    applicantName: user?.name ?? '求职者',
    ...(note ? { note } : {}),
    status: 'submitted',
    appliedAt: at,
    updatedAt: at,
    history: [{ status: 'submitted', at, by: p.userId }],
    version: 1,
  };
  const delta = jobDelta(job, at, { applications: 1 });
  const result = await createApplication(a, now, deltaPuts(delta));
  if (result === 'exists') throw new ConflictError('ALREADY_APPLIED', '您已经报名过这个岗位了，可在"我的求职"里查看进度');
  if (result === 'job_not_open') throw new ConflictError('JOB_NOT_OPEN', '这个岗位已经停止招聘');
  await foldCounterDeltas([delta]);
  return applicationView(a);
}

export async function myApplications(p: Principal, limit: number, cursor?: string) {
  const page = await listApplicationsOfApplicant(p.userId, limit, cursor);
  return { items: page.items.map(applicationView), nextCursor: page.nextCursor };
}

/**
 * An employer reads the applications of their own jobs in one Query: their workshop is part of
 * the key, so another employer's job simply has none. An admin's read looks the employer up first.
 */
export async function applicationsOfJob(p: Principal, jobId: string, limit: number, cursor?: string) {
  let employerId = hasRole(p, 'employer') ? p.workshopId : undefined;
  if (!employerId && hasRole(p, 'admin')) employerId = (await getJob(jobId))?.employerId;
  if (!employerId) throw new NotFoundError('JOB_NOT_FOUND', '没有找到这个岗位');
  const page = await listApplicationsOfJob(employerId, jobId, limit, cursor);
  return { items: page.items.map(applicationView), nextCursor: page.nextCursor };
}

/** An employer's own postings in every status (drafts they saved, open, closed, expired). */
export async function jobsOfEmployer(p: Principal, employerId: string, q: { status?: JobStatus; limit: number; cursor?: string }) {
  if (!canManage(p, employerId)) throw new ForbiddenError('NOT_YOUR_EMPLOYER', '只能查看本单位的岗位');
  const page = await listEmployerJobs(employerId, q.status, q.limit, q.cursor);
  return { items: page.items.map(jobView), nextCursor: page.nextCursor };
}

/** Tells every applicant still in the pipeline that the job has closed. */
async function tellRemaining(job: Job, why: string, now: Date): Promise<number> {
  const entries: OutboxEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listApplicationsOfJob(job.employerId, job.jobId, 100, cursor);
    for (const a of page.items) if (!finalApplicationStatuses.includes(a.status)) entries.push(tell(a, why, now));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await enqueue(entries);
  return entries.length;
}

export async function moveApplication(p: Principal, applicationId: string, change: { status: ApplicationStatus; note?: string }, now = new Date()) {
  // Load: the application, and the job when a hire changes its head count.
  const a = await getApplication(applicationId);
  if (!a) throw new NotFoundError('APPLICATION_NOT_FOUND', '没有找到这份报名');
  const actor = { userId: p.userId, isApplicant: a.applicantId === p.userId, isEmployer: canManage(p, a.employerId) };
  const job = change.status === 'hired' && actor.isEmployer ? await getJob(a.jobId, true) : null;
  // Decide (pure), then commit.
  const d = decideApplicationMove(a, change, actor, job, now);
  if (d.job) {
    // The hire and the job's head count commit together; the last opening closes the job.
    if (!(await saveJob(d.job.after, d.job.before, [applicationPut(d.after, a.version), outboxPut(d.notice), ...deltaPuts(d.delta)]))) throw conflict();
  } else if (!(await saveApplication(d.after, a.version, [outboxPut(d.notice)]))) {
    throw new ConflictError('CONCURRENT_UPDATE', '报名状态刚被更新过，请刷新后重试');
  }
  await flushOutbox([d.notice]);
  await foldCounterDeltas([d.delta]);
  if (d.job?.after.status === 'filled') await tellRemaining(d.job.after, '岗位已招满，感谢关注', now);
  return applicationView(d.after);
}

/** Schedule: jobs past valid-through close as expired, and their remaining applicants are told. */
export async function expireJobs(now = new Date()): Promise<{ expired: number; told: number }> {
  let expired = 0;
  let told = 0;
  for (let round = 0; round < 20; round++) {
    const due = await listExpiring(now, 25);
    if (due.length === 0) break;
    for (const job of due) {
      const after: Job = { ...job, status: 'expired', version: job.version + 1, updatedAt: now.toISOString() };
      if (!(await saveJob(after, job))) continue;
      expired++;
      told += await tellRemaining(after, '岗位已过招聘截止日期', now);
    }
  }
  return { expired, told };
}
