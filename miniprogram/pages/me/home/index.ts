import { careMode } from '../../../logic/care-mode';
import { gridCard } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getMe, getMyGrid, getMyNotifications, getMyRequests, getMyVolunteerHours } from '../../../services/routes';
import { care, go, load, summaryPageHooks } from '../../../services/ui';
import { http, storage } from '../../../services/wx';

/** 我的: 关怀模式 first, then my messages, my requests (what waits for my confirmation), jobs and volunteering. */
Page({
  ...summaryPageHooks,
  data: {
    name: '',
    phone: '',
    unread: 0,
    toConfirm: 0,
    open: 0,
    hours: 0,
    rows: [] as { title: string; hint: string; url: string; badge: string }[],
    gridCard: null as ReturnType<typeof gridCard>,
    rootClass: 'normal',
    loading: false,
    loadError: '',
  },
  onLoad() {
    return this.reload();
  },
  reload() {
    return load(this, async () => {
      const [me, grid, notices, mine, hours] = await Promise.all([
        http.call(getMe),
        http.call(getMyGrid),
        http.call(getMyNotifications, { query: { limit: 1 } }),
        http.call(getMyRequests, { query: { limit: 50 } }),
        http.call(getMyVolunteerHours),
      ]);
      const toConfirm = mine.items.filter((r) => r.status === 'resolved').length;
      const open = mine.items.filter((r) => r.status !== 'resolved' && r.status !== 'closed').length;
      const rows = [
        { title: '我的消息', hint: '办理进度、录用和报名结果都在这里', url: navigateUrl(links.myNotices()), badge: notices.unread ? `${notices.unread} 条未读` : '' },
        { title: '我的诉求', hint: open ? `${open} 条办理中` : '提交过的诉求和办理进度', url: navigateUrl(links.myRequests()), badge: toConfirm ? `${toConfirm} 条待我确认` : '' },
        { title: '我的求职', hint: '投递记录和进度', url: navigateUrl(links.myApplications()), badge: '' },
        { title: '我的志愿服务', hint: hours.totalHours > 0 ? `累计服务 ${hours.totalHours} 小时` : '报名、候补、服务时长', url: navigateUrl(links.mySignups()), badge: '' },
      ];
      // Desk staff sign in to the command centre's console by scanning its QR code.
      if (me.roles.some((x) => ['grid_worker', 'community_staff', 'street_staff', 'legal_officer', 'admin'].includes(x))) {
        rows.push({ title: '扫码登录指挥中心', hint: '在电脑上打开指挥中心，扫屏幕上的二维码', url: navigateUrl(links.consoleLogin()), badge: '' });
      }
      return { gridCard: gridCard(grid), name: me.name, phone: me.phoneMasked ?? '', unread: notices.unread, toConfirm, open, hours: hours.totalHours, rows };
    });
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(String(e.currentTarget.dataset.url));
  },
  toggleCare() {
    const mode = careMode(storage);
    mode.set(!mode.enabled());
    care(this);
    void wx.showToast({ title: mode.enabled() ? '已开启关怀模式' : '已关闭关怀模式', icon: 'none' });
  },
});
