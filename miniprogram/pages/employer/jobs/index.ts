import { employerJobRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getEmployerJobs, getMe, patchJob } from '../../../services/routes';
import { act, confirm, filter, go, load, refresh, reloadOnReturnHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

type Filters = { status?: 'open' | 'draft' | 'closed' };
const tabs = [
  { key: '', name: '全部' },
  { key: 'open', name: '招聘中' },
  { key: 'draft', name: '草稿' },
  { key: 'closed', name: '已停止' },
];

/** The employer's own postings in every status: publish a draft, stop one, see its applicants. */
Page({
  ...reloadOnReturnHooks,
  data: { tabs, status: '', busy: false, errors: {}, items: [] as ReturnType<typeof employerJobRow>[], done: false, error: null as string | null, loading: false, loadError: '', rootClass: 'normal' },
  async onLoad() {
    await load(this, async () => {
      const me = await http.call(getMe);
      const employerId = me.workshopId;
      if (!employerId) throw new Error('您的账号还没有关联用工单位，请联系管理员');
      await startList(this, (f: Filters, cursor) => rows(http.call(getEmployerJobs, { params: { employerId }, query: { ...f, cursor } }), employerJobRow), {});
      return {};
    });
  },
  onTab(e: WechatMiniprogram.TouchEvent) {
    const status = String(e.currentTarget.dataset.status);
    this.setData({ status });
    return filter<Filters>(this, { status: (status || undefined) as Filters['status'] });
  },
  post() {
    go('/pages/employer/job-form/index');
  },
  async close(e: WechatMiniprogram.TouchEvent) {
    const d = e.currentTarget.dataset as { id: string; title: string };
    if (!(await confirm(`「${d.title}」停止招聘后，居民将看不到这个岗位。确定吗？`))) return;
    if (await act(this, () => http.call(patchJob, { params: { jobId: d.id }, body: { status: 'closed' } }), { success: '已停止招聘' })) await refresh(this);
  },
  async publish(e: WechatMiniprogram.TouchEvent) {
    const d = e.currentTarget.dataset as { id: string };
    if (await act(this, () => http.call(patchJob, { params: { jobId: d.id }, body: { status: 'open' } }), { success: '已发布' })) await refresh(this);
  },
  open(e: WechatMiniprogram.TouchEvent) {
    const d = e.currentTarget.dataset as { id: string; title: string };
    go(navigateUrl(links.jobApplicants(String(d.id), String(d.title))));
  },
});
