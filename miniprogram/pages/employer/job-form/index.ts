import { dayOf } from '../../../logic/format';
import { employmentTypes, emptyJobForm, jobBody, type JobForm,jobFormProblems, salaryUnits } from '../../../logic/posting-forms';
import { postJob } from '../../../services/routes';
import { act, formPageHooks } from '../../../services/ui';
import { http } from '../../../services/wx';

/** The employer posts a job for their workshop: published at once, or kept as a draft. */
Page({
  ...formPageHooks,
  data: { form: emptyJobForm(dayOf(new Date())), types: employmentTypes, units: salaryUnits, result: '', busy: false, errors: {} as Record<string, string>, rootClass: 'normal' },
  onPick(e: WechatMiniprogram.PickerChange) {
    const field = String(e.currentTarget.dataset.field);
    this.setData({ [`form.${field}`]: field === 'validThrough' ? e.detail.value : Number(e.detail.value) });
  },
  onSwitch(e: WechatMiniprogram.SwitchChange) {
    this.setData({ [`form.${String(e.currentTarget.dataset.field)}`]: e.detail.value });
  },
  publish() {
    return this.save('open');
  },
  saveDraft() {
    return this.save('draft');
  },
  async save(status: 'open' | 'draft') {
    const form = this.data.form as JobForm;
    const problems = jobFormProblems(form);
    this.setData({ errors: problems });
    if (Object.keys(problems).length) {
      void wx.showToast({ title: '还有内容没填好，请看标红的地方', icon: 'none' });
      return;
    }
    const job = await act(this, () => http.call(postJob, { body: jobBody(form, status) }), { loading: '正在保存', success: status === 'open' ? '已发布' : '已存为草稿' });
    if (job) this.setData({ result: status === 'open' ? `「${job.title}」已发布，居民现在就能看到并报名` : `「${job.title}」已存为草稿` });
  },
  back() {
    void wx.navigateBack();
  },
});
