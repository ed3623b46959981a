import { requestRow } from '../../../logic/views';
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
    go(`/pages/requests/detail/index?requestId=${String(e.currentTarget.dataset.id)}&as=requester`);
  },
  submitNew() {
    go('/pages/requests/new/index');
  },
});
