import { type Job,jobDetail } from '../../../logic/views';
import { getJob, postApplication } from '../../../services/routes';
import { askToNotify, loadSubscribeTemplates } from '../../../services/subscribe';
import { act, callNumber, care, go, load, param } from '../../../services/ui';
import { http } from '../../../services/wx';

/** One job and the apply button; after applying, the application's status. */
Page({
  data: { jobId: '', job: null as ReturnType<typeof jobDetail> | null, note: '', applied: '', busy: false, errors: {} as Record<string, string>, loading: false, loadError: '', rootClass: 'normal' },
  onLoad(query: Record<string, string | undefined>) {
    void loadSubscribeTemplates();
    return load(this, async () => {
      const jobId = param(query, 'jobId');
      const job = (await http.call(getJob, { params: { jobId } })) as Job;
      return { jobId, job: jobDetail(job) };
    });
  },
  onShow() {
    care(this);
  },
  onNote(e: WechatMiniprogram.Input) {
    this.setData({ note: e.detail.value });
  },
  async apply() {
    if (this.data.busy) return;
    askToNotify(['application_status']);
    const note = this.data.note.trim();
    const out = await act(this, () => http.call(postApplication, { params: { jobId: this.data.jobId }, body: note ? { note } : {} }), { loading: '正在投递', success: '已投递' });
    if (out) this.setData({ applied: `${out.statusName}：${out.jobTitle}，用工单位查看后会通知您` });
  },
  mine() {
    go('/pages/jobs/applications/index');
  },
  /** The place on WeChat's map, with its name and address (and the way there from there). */
  showMap() {
    const m = this.data.job?.map;
    if (m) void wx.openLocation({ latitude: m.latitude, longitude: m.longitude, name: m.name, address: m.address, scale: 17 });
  },
  call: callNumber,
});
