import { jobRow } from '../../../logic/views';
import { getJobs, getMe } from '../../../services/routes';
import { go, listPageHooks, load, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

/** The employer's open postings; each leads to its applicants. */
Page({
  ...listPageHooks,
  data: { workshop: '', items: [] as ReturnType<typeof jobRow>[], done: false, error: null as string | null, loading: false, loadError: '', rootClass: 'normal' },
  async onLoad() {
    await load(this, async () => {
      const me = await http.call(getMe);
      if (!me.workshopId) throw new Error('您的账号还没有关联用工单位，请联系管理员');
      await startList(this, (_f: object, cursor) => rows(http.call(getJobs, { query: { employerId: me.workshopId, cursor } }), jobRow), {});
      return { workshop: me.workshopId };
    });
  },
  open(e: WechatMiniprogram.TouchEvent) {
    const d = e.currentTarget.dataset as { id: string; title: string };
    go(`/pages/employer/applications/index?jobId=${d.id}&title=${encodeURIComponent(d.title)}`);
  },
});
