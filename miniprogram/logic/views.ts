import type { Answer } from '../services/http';
import { links, navigateUrl } from '../services/links';
import type * as r from '../services/routes';
import { date, dateTime, dayOf, daysBetween, dueText, hoursText, salaryText } from './format';
import { qrMatrix } from './qr';

/**
 * What each list row and detail screen shows, computed from the API's answers: WXML cannot call
 * functions, so a page hands it ready-made text. Plain functions of the data, tested without wx.
 */
type Item<T> = T extends { items: (infer I)[] } ? I : never;
export type Job = Item<Answer<typeof r.getJobs>>;
export type Application = Item<Answer<typeof r.getMyApplications>>;
export type Activity = Item<Answer<typeof r.getActivities>>;
export type Signup = Item<Answer<typeof r.getMySignups>>;
export type RequestView = Item<Answer<typeof r.getMyRequests>>;
export type RequestDetail = Answer<typeof r.getRequestDetail>;
export type InboxItem = Item<Answer<typeof r.getInbox>>;
export type Visit = Item<Answer<typeof r.getMyVisits>>;
export type Household = Item<Answer<typeof r.getGridHouseholds>>;
export type LegalSlot = Item<Answer<typeof r.getLegalSlots>>;
export type Consultation = Item<Answer<typeof r.getMyConsultations>>;
export type SlotBooking = Answer<typeof r.getLegalSlot>['bookings'][number];
export type AidApplication = Answer<typeof r.getLegalAid>;
export type MediationSummary = Item<Answer<typeof r.getMyMediations>>;
export type MediationCase = Answer<typeof r.getMediation>;

const employmentTypeNames = { full_time: '全职', part_time: '兼职', temporary: '临时', piecework: '计件' } as const;
const employerKindNames = { workshop: '扶贫车间', public_welfare: '公益性岗位', transfer: '转移就业' } as const;

export function jobRow(j: Job) {
  return {
    jobId: j.jobId,
    title: j.title,
    line: `${j.employerName} · ${salaryText(j.salary)} · 还招 ${j.openingsLeft} 人`,
    tags: [employerKindNames[j.employerKind], employmentTypeNames[j.employmentType], j.benefits.meals ? '包吃' : '', j.benefits.housing ? '包住' : '', j.benefits.transport ? '接送' : ''].filter(Boolean),
  };
}

const jobStatusNames = { draft: '草稿', open: '招聘中', filled: '已招满', closed: '已停止', expired: '已过期' } as const;

/** A row of the employer's own list, with what they can do to it now. */
export function employerJobRow(j: Job) {
  return { ...jobRow(j), status: j.status, statusName: jobStatusNames[j.status], canClose: j.status === 'open', canPublish: j.status === 'draft' };
}

/** A place wx.openLocation can show, or null when it has no coordinates. */
export function mapPoint(latitude: number | null | undefined, longitude: number | null | undefined, name: string, address: string) {
  return typeof latitude === 'number' && typeof longitude === 'number' ? { latitude, longitude, name, address } : null;
}

export function jobDetail(j: Job) {
  return {
    ...jobRow(j),
    description: j.description,
    salary: salaryText(j.salary) + (j.salary.unit === 'piece' && j.salary.expectedMonthly ? `（熟练后约 ${j.salary.expectedMonthly} 元/月）` : ''),
    workHours: j.workHours + (j.shifts.length ? `（${j.shifts.join('、')}）` : ''),
    place: `${j.location.address}${j.location.onSite ? '（安置区内）' : `（约 ${j.location.distanceKm} 公里）`}`,
    skills: j.skills.join('、') || '无特殊要求',
    contact: j.contact,
    contactPhone: j.contactPhone ?? '',
    map: mapPoint(j.location.latitude, j.location.longitude, j.employerName, j.location.address),
    open: j.status === 'open' && j.openingsLeft > 0,
    posted: date(j.datePosted),
  };
}

/** What the applicant may still do: withdraw until the employer has decided. */
export function applicationRow(a: Application) {
  const last = a.history[a.history.length - 1];
  return {
    applicationId: a.applicationId,
    jobId: a.jobId,
    title: a.jobTitle,
    applicant: a.applicantName,
    note: a.note ?? '',
    status: a.status,
    statusName: a.statusName,
    line: `投递于 ${dateTime(a.appliedAt)}${last && last.status !== 'submitted' ? ` · ${dateTime(last.at)} ${a.statusName}` : ''}`,
    canWithdraw: ['submitted', 'viewed', 'interview', 'offered'].includes(a.status),
  };
}

/** The employer's next steps for an application, in pipeline order. */
const nextSteps: Record<string, { status: string; name: string }[]> = {
  submitted: [{ status: 'viewed', name: '标记已查看' }, { status: 'interview', name: '约面试' }, { status: 'rejected', name: '不合适' }],
  viewed: [{ status: 'interview', name: '约面试' }, { status: 'offered', name: '录用' }, { status: 'rejected', name: '不合适' }],
  interview: [{ status: 'offered', name: '录用' }, { status: 'rejected', name: '不合适' }],
  offered: [{ status: 'hired', name: '已入职' }, { status: 'rejected', name: '未入职' }],
};
export function employerSteps(status: string) {
  return nextSteps[status] ?? [];
}

export function activityRow(a: Activity) {
  return {
    activityId: a.activityId,
    title: a.title,
    typeName: a.typeName,
    when: `${dateTime(a.startAt)} - ${dateTime(a.endAt).split(' ')[1]}`,
    place: a.place,
    seats: a.seatsLeft > 0 ? `余 ${a.seatsLeft} 个名额` : `已满${a.waitlisted ? `，${a.waitlisted} 人候补` : '，可候补'}`,
    full: a.seatsLeft === 0,
  };
}

/** The one button a volunteer sees on an activity, from their own status. */
export function activityDetail(a: Activity, now = new Date()) {
  const closed = a.status !== 'open' || Date.parse(a.signupDeadline) < now.getTime();
  const my = a.myStatus ?? null;
  const checkedIn = my === 'confirmed' && !!a.myCheckedInAt;
  const checkedOut = checkedIn && !!a.myCheckedOutAt;
  // The team's lead (who sees the check-in code) runs the activity; they do not sign up for it.
  const lead = !!a.checkinCode;
  const inWindow = now.getTime() >= Date.parse(a.startAt) - 30 * 60_000;
  return {
    ...activityRow(a),
    description: a.description,
    team: a.teamName,
    teamId: a.teamId,
    map: mapPoint(a.latitude, a.longitude, a.place, a.place),
    deadline: dateTime(a.signupDeadline),
    skills: a.requiredSkills.join('、') || '无',
    beneficiaries: a.beneficiaries,
    myStatus: my,
    myText: checkedOut
      ? `已签退，本次服务 ${hoursText(a.myMinutes ?? 0)}，已计入您的志愿服务时长`
      : checkedIn
        ? `已签到（${dateTime(a.myCheckedInAt!)}），活动结束时请扫码签退`
        : my === 'confirmed'
          ? '您已报名成功'
          : my === 'offered'
            ? '有空出的名额留给您，请尽快确认'
            : my === 'waitlisted'
              ? `您在候补第 ${a.myWaitlistRank ?? '?'} 位`
              : my === 'cancelled'
                ? '您已取消报名'
                : lead
                  ? '您是本队负责人：请在现场出示下面的签到码'
                  : '',
    myTone: checkedOut || checkedIn || my === 'confirmed' ? 'done' : my === 'offered' || my === 'waitlisted' ? 'waiting' : 'neutral',
    canSignUp: !lead && !closed && (my === null || my === 'cancelled'),
    canConfirm: !closed && my === 'offered',
    // Once checked in, the sign-up is being served: it can no longer be cancelled.
    canCancel: !checkedIn && (my === 'confirmed' || my === 'offered' || my === 'waitlisted'),
    // The server's windows: check in from 30 minutes before the start, check out until 2 hours after the end.
    canCheckIn: my === 'confirmed' && !checkedIn && a.status === 'open' && inWindow && now.getTime() <= Date.parse(a.endAt),
    canCheckOut: checkedIn && !checkedOut && a.status === 'open' && now.getTime() <= Date.parse(a.endAt) + 2 * 60 * 60_000,
    checkinFrom: my === 'confirmed' && !inWindow ? `活动开始前 30 分钟可扫码签到（${dateTime(new Date(Date.parse(a.startAt) - 30 * 60_000).toISOString())} 起）` : '',
    checkinCode: a.checkinCode ?? '',
    // Rows and cells with keys, as wx:for wants them.
    checkinQr: a.checkinCode ? qrMatrix(a.checkinCode).map((row, r) => ({ r, cells: row.map((dark, c) => ({ c, dark })) })) : [],
    closedText: a.status === 'cancelled' ? '活动已取消' : a.status === 'finished' ? '活动已结束' : closed ? '报名已截止' : '',
  };
}

export function signupRow(s: Signup) {
  return {
    activityId: s.activityId,
    title: s.activityTitle,
    when: dateTime(s.startAt),
    statusName: s.statusName + (s.status === 'waitlisted' && s.position ? `（第 ${s.position} 位）` : ''),
    served: s.minutes ? `服务 ${hoursText(s.minutes)}` : s.checkedInAt ? `${dateTime(s.checkedInAt)} 已签到` : '',
  };
}

/**
 * What a status colour means, the same on every page: green is done, orange waits for someone,
 * blue is being worked on, red only ever means overdue or refused.
 */
export type Tone = 'done' | 'waiting' | 'working' | 'alert' | 'neutral';
const requestTones: Record<string, Tone> = { submitted: 'waiting', assigned: 'waiting', in_progress: 'working', resolved: 'done', closed: 'done' };

export function requestRow(q: RequestView | InboxItem, now = new Date()) {
  const due = 'expectedBy' in q ? q.expectedBy : q.dueAt;
  const open = q.status !== 'closed' && q.status !== 'resolved';
  return {
    requestId: q.requestId,
    typeName: q.typeName,
    statusName: 'statusName' in q ? q.statusName : '',
    tone: requestTones[q.status] ?? 'neutral',
    summary: 'summary' in q ? q.summary : q.description,
    created: dateTime(q.createdAt),
    due: open ? dueText(due, q.overdue, now) : '',
    overdue: open && q.overdue,
    private: q.private,
    // 代办: submitted by a grid worker for a member of the household (maybe not the reader).
    onBehalf: 'onBehalfOf' in q && q.onBehalfOf ? `网格员${q.onBehalfOf.submittedByName}代${q.onBehalfOf.name}办理` : '',
    // Filed by the 12345 hotline or a partner system (the handler's inbox says so at a glance).
    channel: 'channel' in q && q.channel ? `${q.channel}转来` : '',
  };
}

/** Who is looking at a request: its requester (from 我的诉求) or a handler (from the inbox). */
export type Viewer = 'requester' | 'handler';

/**
 * The actions a viewer may take now; the server decides again, these are the buttons shown.
 * A dispute (a type with mediation) also has the mediation record and the follow-up visits.
 */
export function requestActions(q: RequestDetail, viewer: Viewer, now = new Date(), mediation = false): string[] {
  if (viewer === 'requester') {
    const out: string[] = [];
    if (q.status === 'resolved') {
      out.push('confirm');
      if (!q.reopenUntil || Date.parse(q.reopenUntil) > now.getTime()) out.push('reopen');
    }
    if ((q.status === 'resolved' || q.status === 'closed') && !q.rating) out.push('rate');
    if (q.status !== 'closed') out.push('comment');
    return out;
  }
  const agreed = mediation && !!q.mediation?.agreedAt;
  if (q.status === 'assigned') return ['accept', 'escalate', 'comment'];
  if (q.status === 'in_progress') return ['resolve', ...(mediation ? ['mediation'] : []), ...(agreed ? ['follow_up'] : []), 'escalate', 'comment'];
  if (q.status === 'resolved') return [...(agreed ? ['follow_up'] : []), 'comment'];
  return agreed ? ['follow_up'] : [];
}

function mediationText(m: RequestDetail['mediation']): string {
  if (!m) return '';
  const parts: string[] = [];
  if (Array.isArray(m.parties) && m.parties.length) parts.push(`当事人：${(m.parties as string[]).join('、')}`);
  if (typeof m.agreementTerms === 'string') parts.push(`调解协议：${m.agreementTerms}${typeof m.agreedAt === 'string' ? `（${date(m.agreedAt)}达成）` : ''}`);
  if (typeof m.followUps === 'number' && m.followUps > 0) parts.push(`已回访 ${m.followUps} 次`);
  return parts.join('；');
}

/** The resident's own answers to the form's questions, as they were asked. */
export interface FieldLabel {
  code: string;
  label: string;
  datatype: string;
  choices?: { key: string; name: string }[];
}
export function answersOf(fields: Record<string, unknown>, definitions: readonly FieldLabel[]): { label: string; value: string }[] {
  const shown = (d: FieldLabel, v: unknown): string => {
    if (v === undefined || v === null || v === '') return '';
    if (d.datatype === 'boolean') return v ? '是' : '否';
    if (d.datatype === 'datetime' && typeof v === 'string') return date(v);
    const name = (key: unknown) => d.choices?.find((c) => c.key === key)?.name ?? String(key);
    return Array.isArray(v) ? v.map(name).join('、') : name(v);
  };
  return definitions.map((d) => ({ label: d.label.replace(/（.*）$/, ''), value: shown(d, fields[d.code]) })).filter((a) => a.value !== '');
}

/** The first action is the one expected next (filled button); the others are plain. */
export function actionButtons(actions: string[]): { action: string; name: string; primary: boolean }[] {
  return actions.map((action, i) => ({ action, name: actionNames[action] ?? action, primary: i === 0 }));
}

/** What the resident reads after an action went through. */
export const actionDoneMessages: Record<string, string> = {
  accept: '已受理',
  resolve: '已办结',
  escalate: '已上报',
  comment: '留言已发送',
  confirm: '已确认解决',
  reopen: '已重新打开，工作人员会继续办理',
  rate: '感谢您的评价',
  mediation: '调解记录已保存',
  follow_up: '回访已记录',
};

const handlerTitles: Record<string, string> = { grid: '网格员', community: '社区工作人员', street: '街道工作人员', legal: '公共法律服务中心' };

export function requestDetail(q: RequestDetail, viewer: Viewer, now = new Date(), mediation = false, fields: readonly FieldLabel[] = []) {
  return {
    ...requestRow(q, now),
    description: q.description,
    // A person, not "the system": who holds the request now.
    handler: q.assigneeName ? `${q.assigneeName}（${handlerTitles[q.level ?? ''] ?? '工作人员'}）` : q.status === 'assigned' || q.status === 'submitted' ? '正在安排工作人员' : '',
    answers: answersOf(q.fields as Record<string, unknown>, fields),
    address: q.addressText ?? '',
    expected: q.expectedBy && q.status !== 'closed' ? dateTime(q.expectedBy) : '',
    confirmBy: viewer === 'requester' && q.status === 'resolved' && q.reopenUntil ? `请在 ${dateTime(q.reopenUntil)} 前确认；逾期未确认，系统将自动办结` : '',
    rating: q.rating ? `${'★'.repeat(q.rating.score)}${q.rating.comment ? ` ${q.rating.comment}` : ''}` : '',
    timeline: [...q.timeline].sort((a, b) => b.seq - a.seq).map((e) => ({ seq: e.seq, at: dateTime(e.at), text: e.text })),
    mediation: mediationText(q.mediation),
    photos: q.photoUrls,
    actions: actionButtons(requestActions(q, viewer, now, mediation)),
    // The handler calls the resident; the number is revealed (and audited) only on that tap.
    canContact: viewer === 'handler' && q.status !== 'closed',
    requesterId: q.requesterId,
    // Filed by the 12345 hotline or a partner: where it came from and who called.
    filedBy: q.filedBy ? `${q.filedBy.channel}转来${q.filedBy.callerName || q.filedBy.callerPhoneMasked ? ` · 来电人 ${[q.filedBy.callerName, q.filedBy.callerPhoneMasked].filter(Boolean).join(' ')}` : ''}` : '',
  };
}

const colourNames = { red: '红', yellow: '黄', green: '绿' } as const;

/** A household as the grid worker scans the list: where, which colour and why, who needs care. */
export function householdRow(h: Household) {
  const head = h.members[0];
  return {
    householdId: h.householdId,
    address: h.address,
    colour: h.colour,
    colourName: colourNames[h.colour],
    reason: h.colourReason,
    people: `${head ? `${head.name}${h.members.length > 1 ? ` 等 ${h.members.length} 人` : ''}` : ''}${head?.phoneMasked ? ` · ${head.phoneMasked}` : ''}`,
    tags: h.tagNames,
    pending: h.pendingColour ? `已建议改为${colourNames[h.pendingColour.colour]}灯，待社区确认` : '',
  };
}

/** The worker's visits split as the day is worked: overdue first, then today, then later. */
export function visitGroups(visits: Visit[], now = new Date()) {
  const today = dayOf(now);
  const row = (v: Visit) => ({
    visitId: v.visitId,
    householdId: v.householdId,
    address: v.address,
    colour: v.colour,
    colourName: colourNames[v.colour],
    due: v.dueDate === today ? '今天' : daysBetween(v.dueDate, today) > 0 ? `超期 ${daysBetween(v.dueDate, today)} 天` : date(v.dueDate),
  });
  const open = visits.filter((v) => v.status === 'open');
  return {
    overdue: open.filter((v) => v.overdue || v.dueDate < today).map(row),
    today: open.filter((v) => !v.overdue && v.dueDate === today).map(row),
    later: open.filter((v) => !v.overdue && v.dueDate > today).map(row),
  };
}

export const actionNames: Record<string, string> = {
  accept: '受理',
  resolve: '办结',
  escalate: '上报',
  comment: '留言',
  confirm: '确认解决',
  reopen: '还没解决',
  rate: '评价',
  mediation: '记录调解',
  follow_up: '回访',
};

export const outcomeChoices = [
  { key: 'resolved', name: '已解决' },
  { key: 'not_resolved', name: '未能解决' },
  { key: 'referred', name: '已转交其他部门' },
] as const;

/** 我的网格员: who looks after my grid, and the number to call. */
export function gridCard(g: Answer<typeof r.getMyGrid>) {
  if (!g.grid) return null;
  return {
    name: g.grid.name,
    people: g.workers.map((w) => ({ userId: w.userId, name: w.name, role: w.role, phone: w.phone ?? '', canCall: !!w.phone })),
  };
}

/** A consultation slot as a resident chooses it: when, how, where, with whom, and the places left. */
export function slotRow(s: LegalSlot) {
  return {
    slotId: s.slotId,
    when: s.when,
    how: `${s.modeName} · ${s.place}`,
    lawyer: `值班律师：${s.lawyerName}`,
    places: s.left > 0 ? `还可预约 ${s.left} 人` : '已约满',
    full: s.left === 0,
    booked: `${s.booked} / ${s.capacity} 人已预约`,
  };
}

const consultationTones: Record<string, Tone> = { booked: 'waiting', held: 'done', cancelled: 'neutral', no_show: 'alert' };

/** One of my consultations: what it is about, when and where, and what the lawyer said once held. */
export function consultationRow(c: Consultation) {
  return {
    slotId: c.slotId,
    when: c.slot.when,
    how: `${c.slot.modeName} · ${c.slot.place}`,
    lawyer: `值班律师：${c.slot.lawyerName}`,
    about: `${c.categoryName}：${c.description}`,
    statusName: c.status === 'held' && c.outcomeName ? `${c.statusName}（${c.outcomeName}）` : c.statusName,
    tone: consultationTones[c.status] ?? 'neutral',
    advice: c.advice ? `律师意见：${c.advice}` : '',
    phoneNote: c.status === 'booked' && c.slot.mode === 'phone' ? '到时律师会打您登记的手机号，请保持电话畅通' : '',
    canCancel: c.canCancel,
    // What the lawyer advised next, one tap away: the application or the mediation, linked to this consultation.
    // Once applied for, the button opens the application or the case instead.
    next: consultationNext(c),
  };
}

function consultationNext(c: Consultation): { text: string; url: string } | null {
  if (c.status !== 'held') return null;
  const linked = c.linkedRequestId;
  if (c.outcome === 'legal_aid') return linked ? { text: '查看法律援助申请', url: navigateUrl(links.legalAid(linked)) } : { text: '申请法律援助', url: navigateUrl(links.legalAidApply(c.slotId)) };
  if (c.outcome === 'mediation') return linked ? { text: '查看调解案件', url: navigateUrl(links.mediationCase(linked)) } : { text: '申请人民调解', url: navigateUrl(links.mediationApply(c.slotId)) };
  return null;
}

/** A booking as the duty lawyer sees it: who, about what, and whether it is recorded. */
export function slotBookingRow(b: SlotBooking) {
  return {
    userId: b.userId,
    who: b.phoneMasked ? `${b.name}（${b.phoneMasked}）` : b.name,
    about: `${b.categoryName}：${b.description}`,
    statusName: b.status === 'held' && b.outcomeName ? `${b.statusName}（${b.outcomeName}）` : b.statusName,
    tone: consultationTones[b.status] ?? 'neutral',
    advice: b.advice ?? '',
    toRecord: b.status === 'booked',
  };
}

const aidTones: Record<string, Tone> = { submitted: 'waiting', accepted: 'working', refused: 'alert', closed: 'done' };

/** A legal-aid application in a list: what about, where it stands, and by when the centre decides. */
export function aidRow(a: AidApplication) {
  return {
    id: a.applicationId,
    title: `法律援助 · ${a.matterName}`,
    statusName: a.statusName,
    tone: a.overdue ? 'alert' : (aidTones[a.status] ?? 'neutral'),
    who: `${a.name}${a.phoneMasked ? `（${a.phoneMasked}）` : ''}`,
    line:
      a.status === 'submitted'
        ? `${a.decideByText}${a.overdue ? '，已超期' : ''}`
        : a.status === 'accepted' && a.lawyer
          ? `援助律师：${a.lawyer.firm} ${a.lawyer.name}`
          : a.status === 'closed'
            ? `结案：${a.resultName ?? ''}`
            : `${date(a.decidedAt ?? a.createdAt)}作出决定`,
    hardship: a.hardship.text,
    submitted: `${dateTime(a.createdAt)}提交`,
  };
}

const mediationTones: Record<string, Tone> = { applied: 'waiting', accepted: 'working', agreed: 'waiting', settled: 'done', failed: 'neutral', declined: 'neutral' };

/** A mediation case in a list: its parties, where it stands, and what the reader is asked to do. */
export function mediationRow(m: MediationSummary) {
  return {
    id: m.caseId,
    title: `人民调解 · ${m.categoryName}`,
    statusName: m.statusName,
    tone: m.overdue ? 'alert' : (mediationTones[m.status] ?? 'neutral'),
    parties: m.parties,
    line: m.dueBy && (m.status === 'accepted' || m.status === 'agreed') ? `${date(m.dueBy)}前调解终结${m.overdue ? '，已超期' : ''}` : `${dateTime(m.createdAt)}申请`,
    action: m.actionName ?? '',
    caseNo: `案件编号 ${m.caseNo}`,
  };
}

/**
 * What the centre's officer may do on a case now (the server decides again): record a party's
 * consent, accept or decline, record a session, draft the agreement, record a signature, close
 * as failed, record a follow-up visit.
 */
export function mediationOfficerActions(c: MediationCase): string[] {
  switch (c.status) {
    case 'applied':
      return ['accept', 'decline', ...(c.parties.some((p) => !p.consented) ? ['consent'] : [])];
    case 'accepted':
      return ['session', 'agreement', 'failure'];
    case 'agreed':
      return ['confirm', 'session', 'agreement', 'failure'];
    case 'settled':
      return ['followUp'];
    default:
      return [];
  }
}
