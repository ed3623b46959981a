import { dateTime } from '../../../logic/format';
import type { Answer } from '../../../services/http';
import { navigateUrl } from '../../../services/links';
import { getMyNotifications, postNotificationsRead } from '../../../services/routes';
import { go, listPageHooks, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

type Notice = Answer<typeof getMyNotifications>['items'][number];

function noticeRow(n: Notice) {
  return { notificationId: n.notificationId, title: n.title, text: n.text, at: dateTime(n.at), url: n.page ? navigateUrl(n.page) : '', unread: !n.read };
}

/**
 * 我的消息: everything the system told this person, newest first (WeChat's subscribe messages may
 * never arrive; this list always has them). Opening it marks them read; a tap opens the page.
 */
Page({
  ...listPageHooks,
  data: { items: [] as ReturnType<typeof noticeRow>[], loading: false, done: false, error: null as string | null, rootClass: 'normal' },
  async onLoad() {
    await startList(this, async (_f: object, cursor) => {
      const page = await http.call(getMyNotifications, { query: { cursor } });
      return { items: page.items.map(noticeRow), nextCursor: page.nextCursor };
    }, {});
    // Seen now: the badge on 我的 and 首页 clears (the list keeps showing which were new).
    if (this.data.items.some((n) => n.unread)) await http.call(postNotificationsRead).catch(() => undefined);
  },
  open(e: WechatMiniprogram.TouchEvent) {
    const url = String(e.currentTarget.dataset.url);
    if (url) go(url);
  },
});
