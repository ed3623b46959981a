/**
 * Deep links into the mini-program: one builder per page that is linked to, naming exactly the
 * parameters that page reads. Notifications (server) and pages (the mini-program's generated copy,
 * miniprogram/services/links.ts) build links only here, so a link cannot name a page or a
 * parameter that does not exist (tests/miniprogram/contract.test.ts opens each one).
 */
const q = (params: Record<string, string | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');
const page = (path: string, params: Record<string, string | undefined> = {}) => (q(params) ? `${path}?${q(params)}` : path);

export const links = {
  /** A request: the resident's view, or with `handler` the worker's (accept, resolve, escalate). */
  request: (requestId: string, viewer: 'requester' | 'handler' = 'requester') =>
    page('pages/requests/detail/index', { requestId, as: viewer === 'handler' ? 'handler' : undefined }),
  activity: (activityId: string) => page('pages/activities/detail/index', { activityId }),
  activities: () => page('pages/activities/list/index'),
  /** Apply to join a team; its name is shown before anything loads. */
  joinTeam: (teamId: string, teamName?: string) => page('pages/volunteer/apply/index', { teamId, teamName }),
  teamApplications: () => page('pages/lead/applications/index'),
  job: (jobId: string) => page('pages/jobs/detail/index', { jobId }),
  myApplications: () => page('pages/jobs/applications/index'),
  mySignups: () => page('pages/activities/mine/index'),
  myRequests: () => page('pages/requests/mine/index'),
  myNotices: () => page('pages/me/notices/index'),
  inbox: () => page('pages/work/inbox/index'),
  /** The visit log; the address and colour are shown before the visit is loaded. */
  visitLog: (visitId: string, address?: string, colour?: string) => page('pages/work/visit-log/index', { visitId, address, colour }),
  jobApplicants: (jobId: string, title?: string) => page('pages/employer/applications/index', { jobId, title }),
  /** 代办: the request form for a member of a household of the worker's grid (the form asks which member). */
  requestOnBehalf: (householdId: string, gridId: string) => page('pages/requests/new/index', { householdId, gridId }),
  /** 法律咨询: the duty lawyer's slots to book; with `moveFrom`, to move that booking to another. */
  legalSlots: (moveFrom?: string) => page('pages/legal/slots/index', { moveFrom }),
  /** The booking form of a slot; its time and place are shown before anything loads. */
  legalBook: (slotId: string, when?: string, place?: string) => page('pages/legal/book/index', { slotId, when, place }),
  myConsultations: () => page('pages/legal/mine/index'),
  /** The centre's officer: the coming slots, and one slot's bookings to record. */
  legalDuty: () => page('pages/legal/duty/index'),
  legalSlot: (slotId: string) => page('pages/legal/slot/index', { slotId }),
  /** 法律援助 and 人民调解: the application forms, the resident's cases, one application, one case file, the centre's desk. */
  legalAidApply: (fromSlotId?: string) => page('pages/legal/aid-apply/index', { fromSlotId }),
  mediationApply: (fromSlotId?: string) => page('pages/legal/mediation-apply/index', { fromSlotId }),
  myLegalCases: () => page('pages/legal/cases/index'),
  legalAid: (id: string) => page('pages/legal/aid/index', { id }),
  mediationCase: (id: string) => page('pages/legal/case/index', { id }),
  legalDesk: () => page('pages/legal/desk/index'),
  /** 扫码登录指挥中心: with the scanned login, the confirmation; without, the page scans first. */
  consoleLogin: (loginId?: string) => page('pages/work/console-login/index', { loginId }),
} as const;

/** Absolute form for wx.navigateTo (notifications use the relative form WeChat expects). */
export const navigateUrl = (link: string) => `/${link}`;
