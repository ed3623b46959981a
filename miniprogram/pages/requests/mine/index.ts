import { requestRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getMyRequests } from '../../../services/routes';
import { go, listPageHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

/** My requests, newest first: status, when to expect it done, and an overdue flag. */
Page({
  ...listPageHooks,
  data: { items: [] as ReturnType<typeof requestRow>[], loading: false, done: false, error: null as string | null, rootClass: 'normal' },
  onLoad() {
    return startList(this, (_f: object, cursor) => rows(http.call(getMyRequests, { query: { cursor } }), (q) => requestRow(q)), {});
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.request(String(e.currentTarget.dataset.id))));
  },
  submitNew() {
    go('/pages/requests/new/index');
  },
});
