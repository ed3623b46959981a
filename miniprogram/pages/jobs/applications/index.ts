import { applicationRow } from '../../../logic/views';
import { getMyApplications, patchApplication } from '../../../services/routes';
import { act, confirm, listPageHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

/** My job applications and where each stands; withdraw one while the employer has not decided. */
Page({
  ...listPageHooks,
  data: { items: [] as ReturnType<typeof applicationRow>[], loading: false, done: false, error: null as string | null, busy: false, rootClass: 'normal' },
  onLoad() {
    return startList(this, (_f: object, cursor) => rows(http.call(getMyApplications, { query: { cursor } }), applicationRow), {});
  },
  async withdraw(e: WechatMiniprogram.TouchEvent) {
    const applicationId = String(e.currentTarget.dataset.id);
    if (!(await confirm('确定撤回这份求职申请吗？'))) return;
    const out = await act(this, () => http.call(patchApplication, { params: { applicationId }, body: { status: 'withdrawn' } }), { success: '已撤回' });
    if (out) this.setData({ items: this.data.items.map((a) => (a.applicationId === applicationId ? applicationRow(out) : a)) });
  },
});
