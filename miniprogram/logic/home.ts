import { links, navigateUrl } from '../services/links';

/** The tab bar's pages (首页 / 办事 / 我的): reached with wx.switchTab, never navigateTo. */
export const tabPages = ['/pages/index/index', '/pages/services/all/index', '/pages/me/home/index'];

/**
 * The 办事 tab's entries for the roles a user holds: everyone sees the resident services; grid
 * workers, staff, employers and volunteer leads also see their own work, first.
 */
export interface Entry {
  title: string;
  hint: string;
  url: string;
}

const residentEntries: Entry[] = [
  { title: '找工作', hint: '扶贫车间、公益性岗位、转移就业', url: '/pages/jobs/list/index' },
  { title: '我的求职', hint: '投递记录和进度', url: '/pages/jobs/applications/index' },
  { title: '志愿活动', hint: '义诊、小微服务、青少年教育、居家养老', url: '/pages/activities/list/index' },
  { title: '我的志愿服务', hint: '报名、候补、服务时长', url: '/pages/activities/mine/index' },
  { title: '我要办事', hint: '法律援助、矛盾调解、民生诉求', url: '/pages/requests/new/index' },
  { title: '我的诉求', hint: '办理进度、确认和评价', url: '/pages/requests/mine/index' },
  { title: '法律咨询', hint: '预约值班律师，到中心面谈或电话咨询，免费', url: navigateUrl(links.legalSlots()) },
  { title: '我的法律咨询', hint: '预约、改约和律师意见', url: navigateUrl(links.myConsultations()) },
  { title: '申请法律援助', hint: '免费律师代理；低保、特困户免予经济困难核查', url: navigateUrl(links.legalAidApply()) },
  { title: '申请人民调解', hint: '邻里、家庭等纠纷，调解员免费调解', url: navigateUrl(links.mediationApply()) },
  { title: '我的援助与调解', hint: '审查进度、调解协议确认和下载', url: navigateUrl(links.myLegalCases()) },
];

const handlerRoles = ['grid_worker', 'community_staff', 'street_staff', 'legal_officer'];

export function homeEntries(roles: readonly string[]): { work: Entry[]; services: Entry[] } {
  const work: Entry[] = [];
  if (roles.some((r) => handlerRoles.includes(r))) work.push({ title: '待办诉求', hint: '按到期时间排序，超时标红', url: '/pages/work/inbox/index' });
  if (roles.includes('grid_worker')) {
    work.push({ title: '走访任务', hint: '今天要走访和已超期的家庭', url: '/pages/work/visits/index' });
    work.push({ title: '网格住户', hint: '红黄绿分类和重点关爱人员', url: '/pages/work/households/index' });
  }
  if (roles.includes('legal_officer')) {
    work.push({ title: '值班咨询', hint: '咨询时段、预约的居民和咨询记录', url: navigateUrl(links.legalDuty()) });
    work.push({ title: '援助与调解', hint: '待审查的援助申请和调解案件', url: navigateUrl(links.legalDesk()) });
  }
  if (roles.includes('employer')) work.push({ title: '岗位与应聘', hint: '本车间的岗位和应聘人', url: '/pages/employer/jobs/index' });
  if (roles.includes('volunteer_lead')) {
    work.push({ title: '队伍活动', hint: '报名情况和签到码', url: '/pages/lead/activities/index' });
    work.push({ title: '志愿者申请', hint: '居民申请加入本队，审核通过即成为志愿者', url: navigateUrl(links.teamApplications()) });
  }
  return { work, services: residentEntries };
}

/** What waits for this person, as the home page and 我的 say it. */
export interface Waiting {
  toConfirm: number;
  unread: number;
  /** A handler's requests waiting to be accepted, and those they are working on. */
  toAccept: number;
  inProgress: number;
}
export function waitingLines(w: Waiting): { text: string; url: string; alert: boolean }[] {
  const lines: { text: string; url: string; alert: boolean }[] = [];
  if (w.toAccept > 0) lines.push({ text: `${w.toAccept} 条诉求待您受理`, url: navigateUrl(links.inbox()), alert: true });
  if (w.inProgress > 0) lines.push({ text: `${w.inProgress} 条诉求正在办理`, url: navigateUrl(links.inbox()), alert: false });
  if (w.toConfirm > 0) lines.push({ text: `${w.toConfirm} 条诉求已办结，等您确认`, url: navigateUrl(links.myRequests()), alert: true });
  if (w.unread > 0) lines.push({ text: `${w.unread} 条新消息`, url: navigateUrl(links.myNotices()), alert: false });
  return lines;
}
