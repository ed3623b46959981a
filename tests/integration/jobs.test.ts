import { beforeAll, describe, expect, it } from 'vitest';

import { demoJobs } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { ddb } from '../../shared/aws';
import { expireJobs } from '../../shared/jobs/use-cases';
import { jobPosting } from '../fixtures/jobs';
import { tokenAs } from '../fixtures/principals';
import { notificationsOf } from '../fixtures/requests';
import { countDynamoCalls } from '../support/ddb-counter';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

const t = useTestStack({ workers: true, visibilityTimeoutSeconds: 2 });
const call = t.call;
let tk: Record<string, string> = {};

beforeAll(async () => {
  await seedDemoData();
  tk = {
    employer: await tokenAs('employer', 'employer-W01'),
    admin: await tokenAs('admin'),
    r1: await tokenAs('resident', 'resident-1'),
    r2: await tokenAs('resident', 'resident-2'),
    r3: await tokenAs('resident', 'resident-3'),
  };
});

async function post(body = jobPosting()) {
  const res = await call('POST', '/v1/jobs', { token: tk.employer, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function allPages(query: string, limit = 7) {
  const ids: string[] = [];
  const posted: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await call('GET', `/v1/jobs?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((j: { jobId: string }) => j.jobId));
    posted.push(...res.body.items.map((j: { datePosted: string }) => j.datePosted));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { ids, posted, pages };
}

describe('GET /v1/jobs', () => {
  it('lists every open job exactly once across pages, newest first, one Query per page', async () => {
    const counter = countDynamoCalls(ddb());
    const { ids, posted, pages } = await allPages('');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(demoJobs().length);
    expect(posted).toEqual([...posted].sort().reverse());
    expect(counter.calls.filter((c) => c.command === 'QueryCommand').length).toBe(pages);
    expect(counter.calls.map((c) => c.command).every((c) => c === 'QueryCommand')).toBe(true);
    counter.reset();
  });

  it('filters by employer kind, employer, employment type, minimum monthly salary and keyword', async () => {
    const pw = await allPages('&employerKind=public_welfare');
    const pwJobs = await Promise.all(pw.ids.map(async (id) => (await call('GET', `/v1/jobs/${id}`)).body));
    expect(pwJobs.map((j) => j.title).sort()).toEqual(['保洁员', '护林员', '楼栋长助理']);

    const w01piece = await call('GET', '/v1/jobs?employerId=W01&employmentType=piecework&limit=50');
    expect(w01piece.body.items.every((j: { employerId: string; employmentType: string }) => j.employerId === 'W01' && j.employmentType === 'piecework')).toBe(true);
    expect(w01piece.body.items.length).toBeGreaterThanOrEqual(1);

    const rich = await allPages('&minSalary=5000');
    const richJobs = await Promise.all(rich.ids.map(async (id) => (await call('GET', `/v1/jobs/${id}`)).body));
    expect(richJobs.length).toBeGreaterThanOrEqual(1);
    expect(richJobs.every((j) => j.monthlySalaryMax >= 5000)).toBe(true);

    const kw = await allPages('&keyword=' + encodeURIComponent('藤编'));
    const kwJobs = await Promise.all(kw.ids.map(async (id) => (await call('GET', `/v1/jobs/${id}`)).body));
    expect(kwJobs.map((j) => j.title).sort()).toEqual(['藤编工艺普工', '藤编工艺计件工']);

    const bad = await call('GET', '/v1/jobs?employmentType=forever&minSalary=-1');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['query.employmentType', 'query.minSalary']);
  });

  it('gives schema.org JobPosting JSON-LD', async () => {
    const job = await post();
    const res = await call('GET', `/v1/jobs/${job.jobId}?format=jsonld`);
    expect(res.headers.get('content-type')).toContain('application/ld+json');
    expect(res.body).toMatchObject({
      '@context': 'https://schema.org/',
      '@type': 'JobPosting',
      title: '服装车间缝纫工',
      employmentType: 'FULL_TIME',
      hiringOrganization: { '@type': 'Organization', name: '服装加工扶贫车间' },
      baseSalary: { currency: 'CNY', value: { minValue: 3000, maxValue: 4200, unitText: 'MONTH' } },
      totalJobOpenings: 2,
    });
  });
});

describe('employers\' postings', () => {
  it('posts for the employer\'s own workshop only; an admin posts for any', async () => {
    const own = await post();
    expect(own).toMatchObject({ employerId: 'W01', status: 'open', openingsLeft: 2 });
    const other = await call('POST', '/v1/jobs', { token: tk.employer, body: jobPosting() });
    expect(other.body.employerId).toBe('W01');
    const byAdmin = await call('POST', '/v1/jobs', { token: tk.admin, body: { ...jobPosting(), employerId: 'W05' } });
    expect(byAdmin.body.employerId).toBe('W05');
    const foreign = await call('PATCH', `/v1/jobs/${byAdmin.body.jobId}`, { token: tk.employer, body: { openings: 9 } });
    expect(foreign.status).toBe(404);
    const invalid = await call('POST', '/v1/jobs', { token: tk.employer, body: jobPosting({ salary: { min: 5000, max: 3000, unit: 'month' }, openings: 0 }) });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.openings', 'body.salary.max']);
  });

  it('keeps drafts out of the list and out of public view', async () => {
    const draft = await post(jobPosting({ status: 'draft', title: '草稿岗位测试' }));
    expect((await call('GET', `/v1/jobs/${draft.jobId}`)).status).toBe(404);
    expect((await call('GET', `/v1/jobs/${draft.jobId}`, { token: tk.employer })).body.status).toBe('draft');
    const list = await allPages('&employerId=W01', 50);
    expect(list.ids).not.toContain(draft.jobId);
    await call('PATCH', `/v1/jobs/${draft.jobId}`, { token: tk.employer, body: { status: 'open' } });
    expect((await allPages('&employerId=W01', 50)).ids).toContain(draft.jobId);
  });

  it('lists the employer\'s own jobs in every status, by status, newest first; not another employer\'s', async () => {
    const draft = await post(jobPosting({ status: 'draft', title: '自己的草稿' }));
    const open = await post(jobPosting({ title: '自己的在招岗位' }));
    await call('PATCH', `/v1/jobs/${open.jobId}`, { token: tk.employer, body: { status: 'closed' } });
    const all = await call('GET', '/v1/employers/W01/jobs?limit=100', { token: tk.employer });
    expect(all.status).toBe(200);
    const ids = all.body.items.map((j: { jobId: string }) => j.jobId);
    expect(ids.slice(0, 2)).toEqual([open.jobId, draft.jobId]);
    expect(all.body.items.every((j: { employerId: string }) => j.employerId === 'W01')).toBe(true);
    const drafts = await call('GET', '/v1/employers/W01/jobs?status=draft&limit=100', { token: tk.employer });
    expect(drafts.body.items.map((j: { jobId: string }) => j.jobId)).toContain(draft.jobId);
    expect(drafts.body.items.every((j: { status: string }) => j.status === 'draft')).toBe(true);
    const closed = await call('GET', '/v1/employers/W01/jobs?status=closed&limit=100', { token: tk.employer });
    expect(closed.body.items.map((j: { jobId: string }) => j.jobId)).toContain(open.jobId);
    const theirs = await call('GET', '/v1/employers/W05/jobs', { token: tk.employer });
    expect(theirs.status).toBe(403);
    expect(theirs.body.error.code).toBe('NOT_YOUR_EMPLOYER');
  });
});

describe('applications', () => {
  it('allows one application per person per job, even under 50 concurrent clicks', async () => {
    const job = await post();
    const results = await Promise.all(Array.from({ length: 50 }, () => call('POST', `/v1/jobs/${job.jobId}/applications`, { token: tk.r1, body: { note: '我会缝纫' } })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(49);
    expect(new Set(refused.map((r) => `${r.status} ${r.body.error.code}`))).toEqual(new Set(['409 ALREADY_APPLIED']));
    const list = await call('GET', `/v1/jobs/${job.jobId}/applications`, { token: tk.employer });
    expect(list.body.items).toHaveLength(1);
  });

  it('runs the pipeline with its history, tells the applicant, and lets only the applicant withdraw', async () => {
    const job = await post();
    const app = (await call('POST', `/v1/jobs/${job.jobId}/applications`, { token: tk.r2, body: {} })).body;
    expect(app).toMatchObject({ status: 'submitted', statusName: '已投递', applicantId: 'resident-2' });
    const move = (status: string, token = tk.employer!) => call('PATCH', `/v1/applications/${encodeURIComponent(app.applicationId)}`, { token, body: { status } });
    expect((await move('viewed')).body.status).toBe('viewed');
    expect((await move('interview')).body.status).toBe('interview');
    const skip = await move('hired');
    expect(skip.status).toBe(409);
    expect(skip.body.error).toMatchObject({ code: 'INVALID_TRANSITION', message: '报名约面试，不能改为「已入职」' });
    expect((await move('offered', tk.r2)).body.error.code).toBe('EMPLOYER_ONLY');
    expect((await move('withdrawn', tk.employer)).body.error.code).toBe('APPLICANT_ONLY');
    expect((await move('offered', tk.r3)).status).toBe(404);
    const withdrawn = await move('withdrawn', tk.r2);
    expect(withdrawn.body.history.map((h: { status: string }) => h.status)).toEqual(['submitted', 'viewed', 'interview', 'withdrawn']);
    const told = await waitFor(async () => {
      const ns = (await notificationsOf('resident-2')).filter((n) => n.template === 'application_status').map((n) => n.data.status);
      return ns.length >= 3 ? ns : undefined;
    }, 10_000, 'applicant told');
    expect(told).toEqual(expect.arrayContaining(['已查看', '约面试', '已撤回']));
    const mine = await call('GET', '/v1/me/applications', { token: tk.r2 });
    expect(mine.body.items.find((a: { jobId: string }) => a.jobId === job.jobId).status).toBe('withdrawn');
  });

  it('closes a job when its openings are filled by hires, and tells the remaining applicants', async () => {
    const job = await post(jobPosting({ openings: 1, title: '一人岗位' }));
    const a1 = (await call('POST', `/v1/jobs/${job.jobId}/applications`, { token: tk.r1, body: {} })).body;
    await call('POST', `/v1/jobs/${job.jobId}/applications`, { token: tk.r3, body: {} });
    for (const s of ['viewed', 'offered', 'hired']) {
      const r = await call('PATCH', `/v1/applications/${encodeURIComponent(a1.applicationId)}`, { token: tk.employer, body: { status: s } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const after = (await call('GET', `/v1/jobs/${job.jobId}`)).body;
    expect(after).toMatchObject({ status: 'filled', hired: 1, openingsLeft: 0 });
    expect((await allPages('&employerId=W01', 50)).ids).not.toContain(job.jobId);
    const late = await call('POST', `/v1/jobs/${job.jobId}/applications`, { token: tk.r2, body: {} });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('JOB_NOT_OPEN');
    await waitFor(async () => (await notificationsOf('resident-3')).find((n) => n.data.status === '岗位已招满，感谢关注'), 10_000, 'remaining applicant told');
  });

  it('expires jobs past valid-through on the schedule, and tells their applicants', async () => {
    const job = await post(jobPosting({ validThrough: new Date(Date.now() + 3600_000).toISOString(), title: '短期岗位' }));
    await call('POST', `/v1/jobs/${job.jobId}/applications`, { token: tk.r1, body: {} });
    const result = await expireJobs(new Date(Date.now() + 2 * 3600_000));
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect((await call('GET', `/v1/jobs/${job.jobId}`)).body.status).toBe('expired');
    expect((await allPages('&employerId=W01', 50)).ids).not.toContain(job.jobId);
    await waitFor(async () => (await notificationsOf('resident-1')).find((n) => n.data.job === '短期岗位' && n.data.status === '岗位已过招聘截止日期'), 10_000, 'applicant told of expiry');
  });
});

describe('employment figures', () => {
  it('counts openings, applications and hires by employer kind', async () => {
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const res = await call('GET', `/v1/stats?month=${month}&by=type&domain=jobs`, { token: tk.admin });
    const workshop = res.body.jobs.find((r: { key: string }) => r.key === 'workshop');
    expect(workshop.openings).toBeGreaterThanOrEqual(28 * 30);
    expect(workshop.applications).toBeGreaterThanOrEqual(4);
    expect(workshop.hires).toBeGreaterThanOrEqual(1);
  });
});
