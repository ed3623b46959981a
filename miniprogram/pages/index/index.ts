import { careMode } from '../../logic/care-mode';
import { dateTime } from '../../logic/format';
import { homeEntries } from '../../logic/home';
import { getActivities, getJobs, getMe } from '../../services/routes';
import { care, go, load } from '../../services/ui';
import { http, storage } from '../../services/wx';
import { links, navigateUrl } from '../../services/links';

/** Home: who is signed in, their entries by role, the newest jobs and activities, care mode. */
Page({
  data: { name: '', work: [] as ReturnType<typeof homeEntries>['work'], services: homeEntries([]).services, news: [] as { text: string; url: string }[], care: false, rootClass: 'normal', loading: false, loadError: '' },
  onLoad() {
    return this.reload();
  },
  onShow() {
    care(this);
    this.setData({ care: careMode(storage).enabled() });
  },
  async onPullDownRefresh() {
    await this.reload();
    wx.stopPullDownRefresh();
  },
  reload() {
    return load(this, async () => {
      const [me, jobs, activities] = await Promise.all([http.call(getMe), http.call(getJobs, { query: { limit: 3 } }), http.call(getActivities, { query: { limit: 3 } })]);
      const news = [
        ...activities.items.map((a) => ({ text: `【志愿活动】${a.title}，${dateTime(a.startAt)}，${a.place}`, url: navigateUrl(links.activity(a.activityId)) })),
        ...jobs.items.map((j) => ({ text: `【招聘】${j.employerName}招${j.title} ${j.openingsLeft} 人`, url: navigateUrl(links.job(j.jobId)) })),
      ];
      return { name: me.name, work: homeEntries(me.roles).work, news };
    });
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(String(e.currentTarget.dataset.url));
  },
  toggleCare() {
    const mode = careMode(storage);
    mode.set(!mode.enabled());
    this.setData({ care: mode.enabled() });
    care(this);
    void wx.showToast({ title: mode.enabled() ? '已开启关怀模式' : '已关闭关怀模式', icon: 'none' });
  },
});
