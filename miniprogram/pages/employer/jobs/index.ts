import { jobRow } from '../../../logic/views';
import { getJobs, getMe, patchJob } from '../../../services/routes';
import type { Job } from '../../../logic/views';
import { act, confirm, go, load, refresh, reloadOnReturnHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

/** The employer's open postings; each leads to its applicants. */
Page({
  ...reloadOnReturnHooks,
  data: { busy: false, errors: {}, workshop: '', items: [] as ReturnType<typeof jobRow>[], done: false, error: null as string | null, loading: false, loadError: '', rootClass: 'normal' },
  async onLoad() {
    await load(this, async () => {
      const me = await http.call(getMe);
      if (!me.workshopId) throw new Error('您的账号还没有关联用工单位，请联系管理员');
      await startList(this, (_f: object, cursor) => rows(http.call(getJobs, { query: { employerId: me.workshopId, cursor } }), jobRow), {});
      return { workshop: me.workshopId };
    });
  },
  post() {
    go('/pages/employer/job-form/index');
  },
  async close(e: WechatMiniprogram.TouchEvent) {
    const d = e.currentTarget.dataset as { id: string; title: string };
    if (!(await confirm(`「${d.title}」停止招聘后，居民将看不到这个岗位。确定吗？`))) return;
    const job: Job | undefined = await act(this, () => http.call(patchJob, { params: { jobId: d.id }, body: { status: 'closed' } }), { success: '已停止招聘' });
    if (job) await refresh(this);
  },
  open(e: WechatMiniprogram.TouchEvent) {
    const d = e.currentTarget.dataset as { id: string; title: string };
    go(`/pages/employer/applications/index?jobId=${d.id}&title=${encodeURIComponent(d.title)}`);
  },
});
