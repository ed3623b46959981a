import { describe, expect, it } from 'vitest';

import { dateTime, dayOf, dueText, hoursText, salaryText } from '../../miniprogram/logic/format';
import { homeEntries } from '../../miniprogram/logic/home';
import { actionButtons, actionDoneMessages, actionNames, type Activity, activityDetail, answersOf, requestActions, type RequestDetail, requestDetail, requestRow, type Visit, visitGroups } from '../../miniprogram/logic/views';

/** The mini-program's view logic: plain functions, no wx, exact expected text. */
const now = new Date('2026-11-29T02:00:00Z'); // 10:00 in Beijing

describe('format', () => {
  it('shows times in China Standard Time whatever the phone says', () => {
    expect(dateTime('2026-11-29T16:30:00Z')).toBe('11月30日 00:30');
    expect(dayOf('2026-11-29T16:30:00Z')).toBe('2026-11-30');
  });

  it('says when something is due, or that it is overdue', () => {
    expect(dueText('2026-11-29T08:00:00Z', false, now)).toBe('今天 16:00 前');
    expect(dueText('2026-12-01T08:00:00Z', false, now)).toBe('12月1日 16:00 前');
    expect(dueText('2026-11-29T01:00:00Z', false, now)).toBe('已超时（应于 11月29日 09:00 前）');
    expect(dueText(null, false, now)).toBe('');
  });

  it('reads salaries and hours as people say them', () => {
    expect(salaryText({ min: 2600, max: 3800, unit: 'month' })).toBe('2600-3800 元/月');
    expect(salaryText({ min: 2, max: 2, unit: 'piece' })).toBe('2 元/件');
    expect(hoursText(150)).toBe('2 小时 30 分钟');
    expect(hoursText(120)).toBe('2 小时');
    expect(hoursText(45)).toBe('45 分钟');
  });
});

describe('request actions', () => {
  const base = { status: 'resolved', reopenUntil: '2026-12-06T02:00:00Z', rating: null } as unknown as RequestDetail;

  it('gives the requester confirm, reopen and rate once it is resolved; reopen only within the window', () => {
    expect(requestActions(base, 'requester', now)).toEqual(['confirm', 'reopen', 'rate', 'comment']);
    expect(requestActions({ ...base, reopenUntil: '2026-11-28T00:00:00Z' }, 'requester', now)).toEqual(['confirm', 'rate', 'comment']);
    expect(requestActions({ ...base, status: 'closed' }, 'requester', now)).toEqual(['rate']);
    expect(requestActions({ ...base, status: 'closed', rating: { score: 5, at: '' } }, 'requester', now)).toEqual([]);
  });

  it('gives a handler accept before, resolve after accepting, escalate in both', () => {
    expect(requestActions({ ...base, status: 'assigned' }, 'handler', now)).toEqual(['accept', 'escalate', 'comment']);
    expect(requestActions({ ...base, status: 'in_progress' }, 'handler', now)).toEqual(['resolve', 'escalate', 'comment']);
    expect(requestActions({ ...base, status: 'closed' }, 'handler', now)).toEqual([]);
  });
});

describe('activity buttons', () => {
  const a = { activityId: 'A1', title: 't', typeName: '义诊', startAt: '2026-12-01T01:00:00Z', endAt: '2026-12-01T03:00:00Z', place: 'p', seatsLeft: 0, waitlisted: 2, status: 'open', signupDeadline: '2026-11-30T01:00:00Z', requiredSkills: [], teamName: 'T', description: 'd', beneficiaries: '' } as unknown as Activity;

  it('offers the waitlist when full, and shows a waiting volunteer their place', () => {
    expect(activityDetail({ ...a, myStatus: null }, now)).toMatchObject({ canSignUp: true, full: true, seats: '已满，2 人候补', myText: '' });
    expect(activityDetail({ ...a, myStatus: 'waitlisted', myWaitlistRank: 2 }, now)).toMatchObject({ canSignUp: false, canCancel: true, myText: '您在候补第 2 位' });
    expect(activityDetail({ ...a, myStatus: 'offered' }, now)).toMatchObject({ canConfirm: true, canCancel: true });
  });

  it('shows check-in only from 30 minutes before the start, and says when it opens', () => {
    const confirmed = { ...a, myStatus: 'confirmed' } as Activity;
    expect(activityDetail(confirmed, now)).toMatchObject({ canCheckIn: false, canCheckOut: false, checkinFrom: '活动开始前 30 分钟可扫码签到（12月1日 08:30 起）' });
    expect(activityDetail(confirmed, new Date('2026-12-01T00:40:00Z'))).toMatchObject({ canCheckIn: true, canCheckOut: false, canCancel: true, checkinFrom: '' });
    expect(activityDetail(confirmed, new Date('2026-12-01T04:00:00Z'))).toMatchObject({ canCheckIn: false, canCheckOut: false });
  });

  it('after check-in offers only 签退 (no cancel) and says when; after check-out, the hours', () => {
    const checkedIn = { ...a, myStatus: 'confirmed', myCheckedInAt: '2026-12-01T00:50:00Z' } as Activity;
    expect(activityDetail(checkedIn, new Date('2026-12-01T02:00:00Z'))).toMatchObject({ canCheckIn: false, canCheckOut: true, canCancel: false, myText: '已签到（12月1日 08:50），活动结束时请扫码签退' });
    // Check-out stays open until two hours after the end.
    expect(activityDetail(checkedIn, new Date('2026-12-01T04:59:00Z'))).toMatchObject({ canCheckOut: true });
    expect(activityDetail(checkedIn, new Date('2026-12-01T05:01:00Z'))).toMatchObject({ canCheckOut: false });
    const out = { ...checkedIn, myCheckedOutAt: '2026-12-01T03:00:00Z', myMinutes: 120 } as Activity;
    expect(activityDetail(out, new Date('2026-12-01T03:01:00Z'))).toMatchObject({ canCheckIn: false, canCheckOut: false, canCancel: false, myText: '已签退，本次服务 2 小时，已计入您的志愿服务时长' });
  });

  it('gives the team\'s lead the code, not a sign-up', () => {
    expect(activityDetail({ ...a, myStatus: null, checkinCode: 'ABCD1234' } as Activity, now)).toMatchObject({ canSignUp: false, myText: '您是本队负责人：请在现场出示下面的签到码' });
  });

  it('closes sign-up after the deadline', () => {
    expect(activityDetail({ ...a, myStatus: null }, new Date('2026-11-30T02:00:00Z'))).toMatchObject({ canSignUp: false, closedText: '报名已截止' });
  });
});

describe('visits and the home screen', () => {
  it('splits a worker\'s visits into overdue, today and later', () => {
    const v = (visitId: string, dueDate: string, overdue = false) => ({ visitId, householdId: 'H', gridId: 'G001', address: visitId, colour: 'red', dueDate, overdue, status: 'open' }) as Visit;
    const g = visitGroups([v('a', '2026-11-27', true), v('b', '2026-11-29'), v('c', '2026-12-02'), { ...v('d', '2026-11-29'), status: 'done' }], now);
    expect(g.overdue.map((x) => [x.visitId, x.due])).toEqual([['a', '超期 2 天']]);
    expect(g.today.map((x) => [x.visitId, x.due])).toEqual([['b', '今天']]);
    expect(g.later.map((x) => [x.visitId, x.due])).toEqual([['c', '12月2日']]);
  });

  it('shows each role its own work above the resident services', () => {
    expect(homeEntries(['resident']).work).toEqual([]);
    expect(homeEntries(['employer']).work.map((e) => e.title)).toEqual(['岗位与应聘']);
    expect(homeEntries(['volunteer_lead', 'volunteer']).work.map((e) => e.title)).toEqual(['队伍活动', '志愿者申请']);
    expect(homeEntries(['legal_officer']).work.map((e) => e.title)).toEqual(['待办诉求', '值班咨询', '援助与调解']);
    expect(homeEntries(['grid_worker']).work.map((e) => e.title)).toEqual(['待办诉求', '走访任务', '网格住户']);
    expect(homeEntries(['resident']).services).toHaveLength(11);
  });
});

describe('the check-in QR', () => {
  it('is a square matrix with the three finder patterns in its corners', async () => {
    const { qrMatrix } = await import('../../miniprogram/logic/qr');
    const m = qrMatrix('67161B2F');
    expect(m).toHaveLength(21);
    expect(m.every((row) => row.length === 21)).toBe(true);
    const finder = (r0: number, c0: number) => [0, 1, 2, 3, 4, 5, 6].map((r) => [0, 1, 2, 3, 4, 5, 6].map((c) => (m[r0 + r]![c0 + c] ? 1 : 0)).join(''));
    const pattern = ['1111111', '1000001', '1011101', '1011101', '1011101', '1000001', '1111111'];
    expect(finder(0, 0)).toEqual(pattern);
    expect(finder(0, 14)).toEqual(pattern);
    expect(finder(14, 0)).toEqual(pattern);
  });
});

describe('posting forms', () => {
  it('turns the employer\'s form into the job body, piece rates with their expected month', async () => {
    const { emptyJobForm, jobBody, jobFormProblems } = await import('../../miniprogram/logic/posting-forms');
    const f = { ...emptyJobForm('2026-11-29'), title: '普工', description: '组装电子元件，不需要经验', unitIndex: 2, min: '1', max: '3', workHours: '8:00-17:30', address: '2号楼', contact: '李主任' };
    expect(f.validThrough).toBe('2026-12-29');
    expect(jobFormProblems(f)).toEqual({ 'salary.expectedMonthly': '计件工资请填写预计月收入' });
    expect(jobFormProblems({ ...f, min: '5', max: '3', expectedMonthly: '3000' })).toEqual({ 'salary.max': '最高工资不能低于最低工资' });
    expect(jobBody({ ...f, expectedMonthly: '3000' }, 'draft')).toMatchObject({
      employmentType: 'full_time',
      salary: { min: 1, max: 3, unit: 'piece', expectedMonthly: 3000 },
      location: { onSite: true, address: '2号楼', distanceKm: 0 },
      validThrough: '2026-12-29T23:59:00+08:00',
      status: 'draft',
    });
  });

  it('turns the lead\'s form into the activity body in UTC+8 and checks the times', async () => {
    const { activityBody, activityFormProblems, emptyActivityForm } = await import('../../miniprogram/logic/posting-forms');
    const f = { ...emptyActivityForm('2026-11-30'), title: '义诊', description: '测血压血糖', place: '卫生室' };
    expect(activityFormProblems(f)).toEqual({});
    expect(activityFormProblems({ ...f, end: '08:00' })).toEqual({ endAt: '结束时间要晚于开始时间' });
    expect(activityFormProblems({ ...f, deadline: '10:00' })).toEqual({ signupDeadline: '报名截止时间不能晚于活动开始' });
    expect(activityBody(f)).toMatchObject({ type: 'clinic', startAt: '2026-11-30T09:00:00+08:00', endAt: '2026-11-30T11:00:00+08:00', signupDeadline: '2026-11-30T08:00:00+08:00', capacity: 10 });
  });
});

describe('a request as the resident reads it', () => {
  it('shows the answers as they were asked, with the choices\' names, and skips the unanswered', () => {
    const definitions = [
      { code: 'category', label: '问题类别', datatype: 'singlevaluelist', choices: [{ key: 'water', name: '用水' }, { key: 'power', name: '用电' }] },
      { code: 'location', label: '具体位置（楼栋/单元/门牌）', datatype: 'string' },
      { code: 'urgent', label: '是否紧急（如漏水、断电）', datatype: 'boolean' },
      { code: 'amount', label: '涉及金额（元）', datatype: 'number' },
      { code: 'happenedAt', label: '发生时间', datatype: 'datetime' },
    ];
    expect(answersOf({ category: 'power', location: '3栋1单元', urgent: true, happenedAt: '2026-11-27T16:00:00.000Z' }, definitions)).toEqual([
      { label: '问题类别', value: '用电' },
      { label: '具体位置', value: '3栋1单元' },
      { label: '是否紧急', value: '是' },
      { label: '发生时间', value: '11月28日' },
    ]);
  });

  it('offers one primary action and says in words what happened after each', () => {
    expect(actionButtons(['confirm', 'reopen', 'rate'])).toEqual([
      { action: 'confirm', name: '确认解决', primary: true },
      { action: 'reopen', name: '还没解决', primary: false },
      { action: 'rate', name: '评价', primary: false },
    ]);
    expect(actionDoneMessages.reopen).toBe('已重新打开，工作人员会继续办理');
    expect(Object.keys(actionDoneMessages).sort()).toEqual(Object.keys(actionNames).sort());
  });
});

describe('a request filed by the 12345 hotline, as its handler reads it', () => {
  const base = {
    requestId: 'R261130ABCDEF', requesterId: 'partner-K1', onBehalfOf: null, typeCode: 'livelihood', typeName: '民生诉求', status: 'assigned', statusName: '待受理',
    description: '来电反映：下水道堵了', fields: {}, photos: [], photoUrls: [], addressText: '安置区1栋', private: false, createdAt: '2026-11-29T02:00:00Z',
    expectedBy: '2026-12-02T02:00:00Z', overdue: false, timeline: [], level: 'grid', assigneeName: '王秀英', rating: null, mediation: null, reopenUntil: null,
  } as unknown as RequestDetail;

  it('says where it came from and who called (number masked); a caller without a name shows the number only', () => {
    expect(requestDetail({ ...base, filedBy: { channel: '12345 热线', callerName: '王秀兰', callerPhoneMasked: '139****5678' } }, 'handler', now).filedBy).toBe('12345 热线转来 · 来电人 王秀兰 139****5678');
    expect(requestDetail({ ...base, filedBy: { channel: '就业服务 App', callerName: null, callerPhoneMasked: '139****5678' } }, 'handler', now).filedBy).toBe('就业服务 App转来 · 来电人 139****5678');
    expect(requestDetail({ ...base, filedBy: { channel: '12345 热线', callerName: null, callerPhoneMasked: null } }, 'handler', now).filedBy).toBe('12345 热线转来');
    expect(requestDetail({ ...base, filedBy: null }, 'handler', now).filedBy).toBe('');
  });

  it('marks the inbox row with where it came from', () => {
    const row = { requestId: 'R1', typeCode: 'livelihood', typeName: '民生诉求', status: 'assigned', level: 'grid', assigneeId: null, private: false, summary: '下水道堵了', dueAt: null, overdue: false, createdAt: '2026-11-29T02:00:00Z' };
    expect(requestRow({ ...row, channel: '12345 热线' } as never, now).channel).toBe('12345 热线转来');
    expect(requestRow({ ...row, channel: null } as never, now).channel).toBe('');
  });
});
