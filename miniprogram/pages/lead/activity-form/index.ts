import { dayOf } from '../../../logic/format';
import { activityBody, type ActivityForm,activityFormProblems, activityTypes, emptyActivityForm } from '../../../logic/posting-forms';
import { links, navigateUrl } from '../../../services/links';
import { postActivity } from '../../../services/routes';
import { act, formPageHooks, go } from '../../../services/ui';
import { http } from '../../../services/wx';

/** The lead creates an activity for their team and gets its check-in code. */
Page({
  ...formPageHooks,
  data: { form: emptyActivityForm(dayOf(new Date(Date.now() + 24 * 60 * 60 * 1000))), types: activityTypes, created: null as { activityId: string; title: string; checkinCode: string } | null, busy: false, errors: {} as Record<string, string>, rootClass: 'normal' },
  onPick(e: WechatMiniprogram.PickerChange) {
    const field = String(e.currentTarget.dataset.field);
    this.setData({ [`form.${field}`]: field === 'typeIndex' ? Number(e.detail.value) : e.detail.value });
  },
  async submit() {
    const form = this.data.form as ActivityForm;
    const problems = activityFormProblems(form);
    this.setData({ errors: problems });
    if (Object.keys(problems).length) {
      void wx.showToast({ title: '还有内容没填好，请看标红的地方', icon: 'none' });
      return;
    }
    const a = await act(this, () => http.call(postActivity, { body: activityBody(form) }), { loading: '正在发布', success: '已发布' });
    if (a) this.setData({ created: { activityId: a.activityId, title: a.title, checkinCode: a.checkinCode } });
  },
  open() {
    go(navigateUrl(links.activity(this.data.created!.activityId)));
  },
});
