import type { Application } from '../../../logic/views';
import { applicationRow, employerSteps } from '../../../logic/views';
import { getJobApplications, patchApplication } from '../../../services/routes';
import { act, listPageHooks, param, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

type Status = 'viewed' | 'interview' | 'offered' | 'hired' | 'rejected';
const row = (a: Application) => ({ ...applicationRow(a), steps: employerSteps(a.status) });

/** Applicants for one job; the employer moves each along (viewed, interview, offered, hired, rejected). */
Page({
  ...listPageHooks,
  data: { jobId: '', title: '', items: [] as ReturnType<typeof row>[], done: false, error: null as string | null, loading: false, busy: false, errors: {}, rootClass: 'normal' },
  async onLoad(query: Record<string, string | undefined>) {
    let jobId: string;
    try {
      jobId = param(query, 'jobId');
    } catch (err) {
      this.setData({ error: (err as Error).message });
      return;
    }
    this.setData({ jobId, title: decodeURIComponent(query.title ?? '') });
    await startList(this, (_f: object, cursor) => rows(http.call(getJobApplications, { params: { jobId }, query: { cursor } }), row), {});
  },
  async move(e: WechatMiniprogram.TouchEvent) {
    const d = e.currentTarget.dataset as { id: string; status: Status; name: string };
    const out = await act(this, () => http.call(patchApplication, { params: { applicationId: d.id }, body: { status: d.status } }), { success: d.name });
    if (out) this.setData({ items: this.data.items.map((a) => (a.applicationId === d.id ? row(out) : a)) });
  },
});
