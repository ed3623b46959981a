import { describe, expect, it } from 'vitest';

import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/errors';
import { type Application, type ApplicationStatus, applicationStatuses, type Job } from '../../shared/jobs/model';
import { decideApplicationMove } from '../../shared/jobs/transitions';

/**
 * An application's progress without a database (#17): every status × next status × role against
 * the product's rules — the applicant withdraws while it is not final; the employer moves it
 * forward one stage at a time (viewed and interview may be skipped, an offer may not), or rejects
 * it; a hire takes one of the job's openings and the last one fills the job.
 */
const now = new Date('2026-11-30T02:00:00.000Z');
const stages: ApplicationStatus[] = ['submitted', 'viewed', 'interview', 'offered', 'hired'];
const final: ApplicationStatus[] = ['hired', 'rejected', 'withdrawn'];
function employerMay(from: ApplicationStatus, to: ApplicationStatus): boolean {
  if (final.includes(from)) return false;
  if (to === 'rejected') return true;
  if (to === 'withdrawn' || to === 'submitted') return false;
  const [i, j] = [stages.indexOf(from), stages.indexOf(to)];
  if (to === 'hired') return from === 'offered';
  if (to === 'offered') return from === 'viewed' || from === 'interview';
  return j > i;
}

const application = (status: ApplicationStatus): Application => ({
  applicationId: 'A1',
  jobId: 'J1',
  jobTitle: '缝纫工',
  employerId: 'W01',
  applicantId: 'resident-1',
  applicantName: '张三',
  status,
  appliedAt: '2026-11-20T00:00:00.000Z',
  updatedAt: '2026-11-20T00:00:00.000Z',
  history: [{ status: 'submitted', at: '2026-11-20T00:00:00.000Z', by: 'resident-1' }],
  version: 2,
});
const job = (hired: number, openings = 3): Job =>
  ({ jobId: 'J1', employerId: 'W01', employerName: '扶贫车间', employerKind: 'workshop', status: 'open', hired, openings, version: 7, updatedAt: '2026-11-20T00:00:00.000Z', datePosted: '2026-11-01T00:00:00.000Z' }) as Job;

const actors = {
  applicant: { userId: 'resident-1', isApplicant: true, isEmployer: false },
  employer: { userId: 'employer-W01', isApplicant: false, isEmployer: true },
  stranger: { userId: 'resident-2', isApplicant: false, isEmployer: false },
};

describe('decideApplicationMove: every status × next status × role', () => {
  for (const from of applicationStatuses) {
    for (const to of applicationStatuses) {
      for (const [role, actor] of Object.entries(actors)) {
        const allowed = role === 'applicant' ? to === 'withdrawn' && !final.includes(from) : role === 'employer' ? employerMay(from, to) : false;
        it(`${from} → ${to} by the ${role}: ${allowed ? 'moves' : 'refused'}`, () => {
          const a = application(from);
          if (allowed) {
            const d = decideApplicationMove(a, { status: to, note: '好' }, actor, job(0), now);
            expect(d.after).toMatchObject({ status: to, version: 3, updatedAt: now.toISOString() });
            expect(d.after.history.at(-1)).toEqual({ status: to, at: now.toISOString(), by: actor.userId, note: '好' });
            expect((d.notice.body as { userId: string }).userId).toBe('resident-1');
          } else {
            const expected = role === 'stranger' ? NotFoundError : (role === 'applicant') === (to === 'withdrawn') ? ConflictError : ForbiddenError;
            expect(() => decideApplicationMove(a, { status: to }, actor, job(0), now)).toThrow(expected);
          }
        });
      }
    }
  }
});

describe('a hire', () => {
  it('takes an opening and counts a hire; the last opening fills the job', () => {
    const d = decideApplicationMove(application('offered'), { status: 'hired' }, actors.employer, job(1), now);
    expect(d.job!.after).toMatchObject({ hired: 2, status: 'open', version: 8 });
    expect(d.delta!.updates.map((u) => [u.dimension, u.value, u.adds])).toEqual([
      ['ALL', 'all', { hires: 1 }],
      ['KIND', 'workshop', { hires: 1 }],
    ]);
    expect(decideApplicationMove(application('offered'), { status: 'hired' }, actors.employer, job(2), now).job!.after.status).toBe('filled');
  });

  it('is refused when no opening is left, or the job is gone', () => {
    expect(() => decideApplicationMove(application('offered'), { status: 'hired' }, actors.employer, job(3), now)).toThrow(expect.objectContaining({ code: 'NO_OPENINGS_LEFT' }));
    expect(() => decideApplicationMove(application('offered'), { status: 'hired' }, actors.employer, null, now)).toThrow(expect.objectContaining({ code: 'JOB_NOT_FOUND' }));
  });

  it('other moves touch neither the job nor the figures', () => {
    const d = decideApplicationMove(application('submitted'), { status: 'viewed' }, actors.employer, null, now);
    expect([d.job, d.delta]).toEqual([undefined, null]);
  });
});
