import { dateTime } from '../../logic/format';
import { waitingLines } from '../../logic/home';
import { gridCard } from '../../logic/views';
import { links, navigateUrl } from '../../services/links';
import { getActivities, getInbox, getJobs, getMe, getMyGrid, getMyNotifications, getMyRequests } from '../../services/routes';
import { go, load, summaryPageHooks } from '../../services/ui';
import { http } from '../../services/wx';

const handlerRoles = ['grid_worker', 'community_staff', 'street_staff', 'legal_officer'];

/** 首页: who is signed in, what waits for them (to accept, to confirm, to read), and 社区动态. */
Page({
  // Coming back from a request or the messages: the counts may have changed.
  ...summaryPageHooks,
  data: { gridCard: null as ReturnType<typeof gridCard>, name: '', waiting: [] as ReturnType<typeof waitingLines>, news: [] as { text: string; url: string }[], rootClass: 'normal', loading: false, loadError: '' },
  onLoad() {
    return this.reload();
  },
  reload() {
    return load(this, async () => {
      const me = await http.call(getMe);
      const handler = me.roles.some((r) => handlerRoles.includes(r));
      const [grid, jobs, activities, mine, notices, toAccept, inProgress] = await Promise.all([
        http.call(getMyGrid),
        http.call(getJobs, { query: { limit: 3 } }),
        http.call(getActivities, { query: { limit: 3 } }),
        http.call(getMyRequests, { query: { limit: 50 } }),
        http.call(getMyNotifications, { query: { limit: 1 } }),
        handler ? http.call(getInbox, { query: { status: 'assigned', limit: 50 } }) : undefined,
        handler ? http.call(getInbox, { query: { status: 'in_progress', limit: 50 } }) : undefined,
      ]);
      const news = [
        ...activities.items.map((a) => ({ text: `【志愿活动】${a.title}，${dateTime(a.startAt)}，${a.place}`, url: navigateUrl(links.activity(a.activityId)) })),
        ...jobs.items.map((j) => ({ text: `【招聘】${j.employerName}招${j.title} ${j.openingsLeft} 人`, url: navigateUrl(links.job(j.jobId)) })),
      ];
      const waiting = waitingLines({
        toConfirm: mine.items.filter((r) => r.status === 'resolved').length,
        unread: notices.unread,
        toAccept: toAccept?.items.length ?? 0,
        inProgress: inProgress?.items.length ?? 0,
      });
      return { name: me.name, waiting, news, gridCard: gridCard(grid) };
    });
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(String(e.currentTarget.dataset.url));
  },
});
