import { beijingClock, beijingText } from '../../shared/time';
export { percentText as percent } from '../../shared/console/tables';

/** Beijing time, as every staff member reads it (shared/time.ts, the one place it is written). */
export const clock = (d: Date) => beijingClock(d);
export const dateTime = (iso: string | null) => (iso ? beijingText(iso) : '—');
export const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('zh-CN'));
/** How long ago, for the queue board: "3小时前", "2天前". */
export const age = (iso: string, now = Date.now()) => {
  const h = Math.floor((now - Date.parse(iso)) / 3600_000);
  return h < 1 ? '1小时内' : h < 48 ? `${h}小时前` : `${Math.floor(h / 24)}天前`;
};
