import { activityDetail } from '../../../logic/views';
import { ApiError } from '../../../services/http';
import { links, navigateUrl } from '../../../services/links';
import { deleteMySignup, getActivity, postCheckin, postSignup } from '../../../services/routes';
import { askToNotify, loadSubscribeTemplates } from '../../../services/subscribe';
import { act, care, confirm, go, load, param } from '../../../services/ui';
import { http } from '../../../services/wx';

function scan(): Promise<string | null> {
  return new Promise((resolve) => {
    wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'], success: (r) => resolve(r.result), fail: () => resolve(null) });
  });
}

/**
 * One activity: sign up (a seat, or a place on the waitlist), confirm an offered seat, cancel,
 * and check in / out by scanning the code the team lead shows. The lead sees that code here.
 */
Page({
  data: { activityId: '', manual: false, code: '', a: null as ReturnType<typeof activityDetail> | null, busy: false, errors: {}, loading: false, loadError: '', rootClass: 'normal' },
  onLoad(query: Record<string, string | undefined>) {
    void loadSubscribeTemplates();
    return load(this, async () => {
      const activityId = param(query, 'activityId');
      return { activityId, a: activityDetail(await http.call(getActivity, { params: { activityId } })) };
    });
  },
  onShow() {
    care(this);
  },
  reload() {
    return load(this, async () => ({ a: activityDetail(await http.call(getActivity, { params: { activityId: this.data.activityId } })) }));
  },
  async signUp() {
    if (this.data.busy) return;
    askToNotify(['signup_status', 'activity_reminder']);
    // Not yet a volunteer: not a dead end with "no permission", but what to do instead.
    const out = await act(this, () =>
      http.call(postSignup, { params: { activityId: this.data.activityId } }).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 403) return 'not_a_volunteer' as const;
        throw err;
      }), { loading: '正在报名' });
    if (!out) return;
    if (out === 'not_a_volunteer') {
      const a = this.data.a!;
      const apply = await confirm(`报名志愿活动需要先成为志愿者。现在申请加入${a.team}吗？负责人审核通过后就能报名。`, '先成为志愿者', '去申请');
      if (apply) go(navigateUrl(links.joinTeam(a.teamId, a.team)));
      return;
    }
    void wx.showToast({ title: out.status === 'waitlisted' ? `名额已满，您在候补第 ${out.position ?? '?'} 位` : '报名成功', icon: out.status === 'waitlisted' ? 'none' : 'success' });
    await this.reload();
  },
  async cancel() {
    if (!(await confirm('确定取消报名吗？名额会让给候补的志愿者。'))) return;
    if (await act(this, () => http.call(deleteMySignup, { params: { activityId: this.data.activityId } }), { success: '已取消报名' })) await this.reload();
  },
  checkIn() {
    return this.check('in');
  },
  checkOut() {
    return this.check('out');
  },
  onCode(e: WechatMiniprogram.Input) {
    this.setData({ code: e.detail.value });
  },
  async check(kind: 'in' | 'out') {
    // A typed code when the camera could not read the QR (glare, an old phone); else scan.
    const code = this.data.code.trim() || (await scan());
    if (!code) {
      this.setData({ manual: true });
      void wx.showToast({ title: '没有扫到签到码，可以对准二维码再扫一次，或输入签到码', icon: 'none' });
      return;
    }
    const out = await act(this, () => http.call(postCheckin, { params: { activityId: this.data.activityId }, body: { code, kind } }), { success: kind === 'in' ? '签到成功' : '签退成功' });
    if (!out) return;
    // The page now says 已签到 (then 已签退 with the hours) and offers only what comes next.
    this.setData({ manual: false, code: '' });
    await this.reload();
  },
  /** The place on WeChat's map, with its name and address (and the way there from there). */
  showMap() {
    const m = this.data.a?.map;
    if (m) void wx.openLocation({ latitude: m.latitude, longitude: m.longitude, name: m.name, address: m.address, scale: 17 });
  },
});
