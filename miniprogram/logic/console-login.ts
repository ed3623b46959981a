import type { Answer } from '../services/http';
import type * as r from '../services/routes';

/** What the console's QR code carries (shared/console/logins.ts builds it the same way). */
const prefix = 'anzhi-console-login:';

/** The login id in a scanned text, or null when the code is not a console login. */
export function consoleLoginFromScan(text: string): string | null {
  if (!text.startsWith(prefix)) return null;
  const id = text.slice(prefix.length);
  return /^[A-Za-z0-9_-]{24}$/.test(id) ? id : null;
}

const roleNames: Record<string, string> = { grid_worker: '网格员', community_staff: '社区工作人员', street_staff: '街道工作人员', legal_officer: '公共法律服务中心', admin: '系统管理员' };

/**
 * Who and where the console will show, before the staff member confirms: their desk roles and the
 * widest scope they will see. Empty role text: not a staff account (the page says so, no button).
 */
export function consoleScope(me: Answer<typeof r.getMe>, grid: Answer<typeof r.getMyGrid>): { roleText: string; scopeText: string } {
  const desk = me.roles.filter((x) => x in roleNames);
  const roleText = desk.map((x) => roleNames[x]).join('、');
  const street = desk.some((x) => x === 'street_staff' || x === 'admin' || x === 'legal_officer');
  const scopeText = street
    ? '全街道的数据'
    : desk.includes('community_staff')
      ? `社区 ${me.communityId ?? ''} 及其网格`
      : grid.grid
        ? `${grid.grid.name}`
        : `网格 ${me.gridId ?? ''}`;
  return { roleText, scopeText: desk.length ? scopeText : '' };
}
