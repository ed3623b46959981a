import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { links } from '../links';
import { notificationMessage } from '../notifications/notify';
import { newOutboxEntry, type OutboxEntry } from '../queue/messages';
import { type CounterDelta,counterDelta, monthOf } from '../stats/counters';
import { type Application, type ApplicationStatus, applicationStatusNames, applicationTransitions, finalApplicationStatuses, type Job } from './model';

/**
 * The rules of an application's progress, pure (unit-tested without a database in
 * tests/unit/application-transitions.test.ts): the use-case loads, decides here, then commits.
 */

/** What a change adds to the job figures (overall and by employer kind), committed with the change. */
export function jobDelta(j: Pick<Job, 'employerKind'>, at: string, adds: Record<string, number>): CounterDelta | null {
  const period = monthOf(at);
  return counterDelta([
    { domain: 'JOB', period, dimension: 'ALL', value: 'all', adds },
    { domain: 'JOB', period, dimension: 'KIND', value: j.employerKind, adds },
  ]);
}

export function tell(a: Application, text: string, at: Date): OutboxEntry {
  return newOutboxEntry(
    notificationMessage({
      notificationId: `${a.applicationId}-v${a.version}-${at.getTime()}`,
      userId: a.applicantId,
      template: 'application_status',
      data: { job: a.jobTitle.slice(0, 20), status: text },
      page: links.myApplications(),
    }),
  );
}


export interface ApplicationMove {
  after: Application;
  /** A hire: the job before and after (its head count; the last opening fills it). */
  job?: { before: Job; after: Job };
  notice: OutboxEntry;
  delta: CounterDelta | null;
}

/**
 * Decides a move of an application: the applicant may withdraw one not yet final; the employer
 * moves it along its pipeline (applicationTransitions); a hire needs an opening left. `job` is
 * the application's job, read for a hire. Throws the refusal.
 */
export function decideApplicationMove(
  a: Application,
  change: { status: ApplicationStatus; note?: string },
  actor: { userId: string; isApplicant: boolean; isEmployer: boolean },
  job: Job | null,
  now: Date,
): ApplicationMove {
  if (!actor.isApplicant && !actor.isEmployer) throw new NotFoundError('APPLICATION_NOT_FOUND', '没有找到这份报名');
  if (change.status === 'withdrawn') {
    if (!actor.isApplicant) throw new ForbiddenError('APPLICANT_ONLY', '只有求职者本人可以撤回报名');
    if (finalApplicationStatuses.includes(a.status)) throw new ConflictError('INVALID_TRANSITION', `报名${applicationStatusNames[a.status]}，不能撤回`);
  } else {
    if (!actor.isEmployer) throw new ForbiddenError('EMPLOYER_ONLY', '只有用工单位可以更新报名进度');
    if (!applicationTransitions[a.status].includes(change.status)) {
      throw new ConflictError('INVALID_TRANSITION', `报名${applicationStatusNames[a.status]}，不能改为「${applicationStatusNames[change.status]}」`);
    }
  }
  const at = now.toISOString();
  const after: Application = {
    ...a,
    status: change.status,
    updatedAt: at,
    history: [...a.history, { status: change.status, at, by: actor.userId, ...(change.note ? { note: change.note } : {}) }],
    version: a.version + 1,
  };
  const notice = tell(after, applicationStatusNames[change.status], now);
  if (change.status !== 'hired') return { after, notice, delta: null };
  if (!job) throw new NotFoundError('JOB_NOT_FOUND', '没有找到这个岗位');
  if (job.hired >= job.openings) throw new ConflictError('NO_OPENINGS_LEFT', '招聘人数已满');
  const hired = job.hired + 1;
  const jobAfter: Job = { ...job, hired, status: hired >= job.openings ? 'filled' : job.status, version: job.version + 1, updatedAt: at };
  return { after, job: { before: job, after: jobAfter }, notice, delta: jobDelta(job, at, { hires: 1 }) };
}
