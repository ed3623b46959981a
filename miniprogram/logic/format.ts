/**
 * How times, money and due dates read on the phone. Residents live in China Standard Time
 * whatever the phone's zone says, so times are shown in UTC+8 explicitly.
 */
const cst = 8 * 60 * 60 * 1000;
const day = 24 * 60 * 60 * 1000;
const pad = (n: number) => String(n).padStart(2, '0');

function shifted(iso: string): Date {
  return new Date(Date.parse(iso) + cst);
}

/** "11月29日 14:30" */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = shifted(iso);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "11月29日" (a date-only value such as "2026-11-29", or a time) */
export function date(isoOrDay: string): string {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(isoOrDay) ? new Date(`${isoOrDay}T00:00:00Z`) : shifted(isoOrDay);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** The calendar day in UTC+8, "2026-11-29". */
export function dayOf(iso: string | Date): string {
  const d = new Date((typeof iso === 'string' ? Date.parse(iso) : iso.getTime()) + cst);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Whole days from one calendar day (UTC+8) to another. */
export function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / day);
}

/** When something is due, as a worker or resident reads it. */
export function dueText(dueAt: string | null, overdue: boolean, now = new Date()): string {
  if (!dueAt) return '';
  if (overdue || Date.parse(dueAt) < now.getTime()) return `已超时（应于 ${dateTime(dueAt)} 前）`;
  return `${dayOf(dueAt) === dayOf(now) ? '今天' : date(dueAt)} ${dateTime(dueAt).split(' ')[1]} 前`;
}

const units = { month: '月', day: '天', piece: '件' } as const;

export function salaryText(s: { min: number; max: number; unit: keyof typeof units }): string {
  return `${s.min === s.max ? s.max : `${s.min}-${s.max}`} 元/${units[s.unit]}`;
}

export function hoursText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return h && m ? `${h} 小时 ${m} 分钟` : h ? `${h} 小时` : `${m} 分钟`;
}

/** "2027年3月30日" (a date-only value): a deadline that may fall in another year. */
export function fullDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
