/**
 * The employer's job form and the lead's activity form, as plain data → the bodies of
 * POST /v1/jobs and POST /v1/activities. Times are entered as a day and a clock time in UTC+8,
 * as people read them; the server checks everything again and its messages land under the same
 * field names (`salary.max`, `signupDeadline`, …).
 */
export const employmentTypes = [
  { key: 'full_time', name: '全职' },
  { key: 'part_time', name: '兼职' },
  { key: 'temporary', name: '临时工' },
  { key: 'piecework', name: '计件' },
] as const;
export const salaryUnits = [
  { key: 'month', name: '元/月' },
  { key: 'day', name: '元/天' },
  { key: 'piece', name: '元/件' },
] as const;
export const activityTypes = [
  { key: 'clinic', name: '义诊' },
  { key: 'small_service', name: '小微服务' },
  { key: 'youth_education', name: '青少年教育' },
  { key: 'elderly_care', name: '居家养老' },
] as const;

/** "2026-12-01" + "09:30" in UTC+8 → "2026-12-01T09:30:00+08:00" */
export function cstTime(day: string, clock: string): string {
  return `${day}T${clock}:00+08:00`;
}

export interface JobForm {
  title: string;
  description: string;
  typeIndex: number;
  unitIndex: number;
  min: string;
  max: string;
  expectedMonthly: string;
  workHours: string;
  address: string;
  onSite: boolean;
  distanceKm: string;
  openings: string;
  meals: boolean;
  housing: boolean;
  transport: boolean;
  contact: string;
  validThrough: string;
}

export function emptyJobForm(today: string): JobForm {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 30);
  return { title: '', description: '', typeIndex: 0, unitIndex: 0, min: '', max: '', expectedMonthly: '', workHours: '', address: '', onSite: true, distanceKm: '0', openings: '1', meals: false, housing: false, transport: false, contact: '', validThrough: d.toISOString().slice(0, 10) };
}

const int = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

/** What is obviously missing, before anything is sent. */
export function jobFormProblems(f: JobForm): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.title.trim().length < 2) out.title = '请填写岗位名称';
  if (f.description.trim().length < 10) out.description = '请描述工作内容（至少 10 个字）';
  if (!Number.isInteger(int(f.min)) || !Number.isInteger(int(f.max))) out['salary.max'] = '请填写工资范围（整数）';
  else if (int(f.max) < int(f.min)) out['salary.max'] = '最高工资不能低于最低工资';
  if (salaryUnits[f.unitIndex]!.key === 'piece' && !Number.isInteger(int(f.expectedMonthly))) out['salary.expectedMonthly'] = '计件工资请填写预计月收入';
  if (f.workHours.trim().length < 2) out.workHours = '请填写工作时间';
  if (f.address.trim().length < 2) out['location.address'] = '请填写工作地点';
  if (!(int(f.openings) >= 1)) out.openings = '请填写招聘人数';
  if (f.contact.trim().length < 2) out.contact = '请填写联系人和电话';
  return out;
}

export function jobBody(f: JobForm, status: 'open' | 'draft') {
  const unit = salaryUnits[f.unitIndex]!.key;
  return {
    title: f.title.trim(),
    description: f.description.trim(),
    employmentType: employmentTypes[f.typeIndex]!.key,
    salary: { min: int(f.min), max: int(f.max), unit, ...(unit === 'piece' ? { expectedMonthly: int(f.expectedMonthly) } : {}) },
    workHours: f.workHours.trim(),
    shifts: [],
    location: { onSite: f.onSite, address: f.address.trim(), distanceKm: f.onSite ? 0 : Number(f.distanceKm) || 0 },
    openings: int(f.openings),
    skills: [],
    benefits: { meals: f.meals, housing: f.housing, transport: f.transport },
    validThrough: cstTime(f.validThrough, '23:59'),
    contact: f.contact.trim(),
    status,
  };
}

export interface ActivityForm {
  typeIndex: number;
  title: string;
  description: string;
  day: string;
  start: string;
  end: string;
  place: string;
  capacity: string;
  deadlineDay: string;
  deadline: string;
  beneficiaries: string;
}

export function emptyActivityForm(tomorrow: string): ActivityForm {
  return { typeIndex: 0, title: '', description: '', day: tomorrow, start: '09:00', end: '11:00', place: '', capacity: '10', deadlineDay: tomorrow, deadline: '08:00', beneficiaries: '' };
}

export function activityFormProblems(f: ActivityForm): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.title.trim().length < 2) out.title = '请填写活动名称';
  if (f.description.trim().length < 5) out.description = '请介绍一下活动（至少 5 个字）';
  if (f.place.trim().length < 2) out.place = '请填写活动地点';
  if (!(int(f.capacity) >= 1)) out.capacity = '请填写招募人数';
  if (f.end <= f.start) out.endAt = '结束时间要晚于开始时间';
  if (cstTime(f.deadlineDay, f.deadline) > cstTime(f.day, f.start)) out.signupDeadline = '报名截止时间不能晚于活动开始';
  return out;
}

export function activityBody(f: ActivityForm) {
  return {
    type: activityTypes[f.typeIndex]!.key,
    title: f.title.trim(),
    description: f.description.trim(),
    startAt: cstTime(f.day, f.start),
    endAt: cstTime(f.day, f.end),
    place: f.place.trim(),
    capacity: int(f.capacity),
    requiredSkills: [],
    signupDeadline: cstTime(f.deadlineDay, f.deadline),
    beneficiaries: f.beneficiaries.trim(),
  };
}
