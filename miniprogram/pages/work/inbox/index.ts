import { requestRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getInbox } from '../../../services/routes';
import { askToNotify, loadSubscribeTemplates } from '../../../services/subscribe';
import { filter, go, reloadOnReturnHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

type Filters = { status: 'assigned' | 'in_progress' | 'resolved' };
const tabs = [
  { key: 'assigned', name: '待受理' },
  { key: 'in_progress', name: '办理中' },
  { key: 'resolved', name: '待确认' },
];

/** The handler's queue, one tab per status, oldest due first, overdue flagged. */
Page({
  // Back from a request just handled: the queue as it is now.
  ...reloadOnReturnHooks,
  data: { items: [] as ReturnType<typeof requestRow>[], loading: false, done: false, error: null as string | null, tabs, status: 'assigned', rootClass: 'normal' },
  onLoad() {
    void loadSubscribeTemplates();
    return startList(this, (f: Filters, cursor) => rows(http.call(getInbox, { query: { ...f, cursor } }), (q) => requestRow(q)), { status: 'assigned' } as Filters);
  },
  onTab(e: WechatMiniprogram.TouchEvent) {
    const status = String(e.currentTarget.dataset.status) as Filters['status'];
    this.setData({ status });
    return filter<Filters>(this, { status });
  },
  remindMe() {
    askToNotify(['request_assigned', 'request_overdue']);
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.request(String(e.currentTarget.dataset.id), 'handler')));
  },
});
