/** Beijing time, as every staff member reads it, whatever the machine's own zone. */
const beijing = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000);
const two = (n: number) => String(n).padStart(2, '0');

export const clock = (d: Date) => {
  const b = beijing(d.toISOString());
  return `${two(b.getUTCHours())}:${two(b.getUTCMinutes())}`;
};
export const dateTime = (iso: string | null) => {
  if (!iso) return '—';
  const b = beijing(iso);
  return `${b.getUTCMonth() + 1}月${b.getUTCDate()}日 ${two(b.getUTCHours())}:${two(b.getUTCMinutes())}`;
};
export const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);
export const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('zh-CN'));
/** How long ago, for the queue board: "3小时前", "2天前". */
export const age = (iso: string, now = Date.now()) => {
  const h = Math.floor((now - Date.parse(iso)) / 3600_000);
  return h < 1 ? '1小时内' : h < 48 ? `${h}小时前` : `${Math.floor(h / 24)}天前`;
};
