import type { RequestType } from '../../../../shared/requests/catalogue';
import { createOfflineQueue, submitOrKeep } from '../../../logic/offline-queue';
import { formFor, missingAnswers, submission } from '../../../logic/request-form';
import { ApiError } from '../../../services/http';
import { choosePhotos } from '../../../services/photos';
import { type RequestDraft,sendRequestDraft } from '../../../services/requests';
import { getGridHouseholds, getRequestTypes } from '../../../services/routes';
import { askToNotify, loadSubscribeTemplates } from '../../../services/subscribe';
import { care, go, load } from '../../../services/ui';
import { http, storage } from '../../../services/wx';

const queue = createOfflineQueue(storage);

Page({
  data: {
    types: [] as RequestType[],
    typeIndex: 0,
    controls: [] as ReturnType<typeof formFor>,
    values: {} as Record<string, unknown>,
    description: '',
    errors: {} as Record<string, string>,
    submitting: false,
    result: '',
    finished: false,
    /** The chosen option's name per picker, for the picker to show. */
    chosen: {} as Record<string, string>,
    photos: [] as string[],
    /** 代办: the household (from 网格住户) and its members to choose from; null for a resident's own request. */
    onBehalf: null as null | { householdId: string; address: string; members: { personId: string; label: string }[] },
    memberIndex: -1,
    loading: false,
    loadError: '',
    rootClass: 'normal',
  },
  householdId: '',
  gridId: '',
  onLoad(query: Record<string, string | undefined> = {}) {
    this.householdId = query.householdId ?? '';
    this.gridId = query.gridId ?? '';
    void loadSubscribeTemplates();
    return this.reload();
  },
  /** The catalogue (and, for 代办, the household's members); without it there is no form, so a failure says so, with a retry. */
  reload() {
    return load(this, async () => {
      const [{ items }, onBehalf] = await Promise.all([http.call(getRequestTypes), this.householdId ? this.household() : Promise.resolve(null)]);
      return { types: items, controls: formFor(items[0]!), onBehalf };
    });
  },
  /** The household from the worker's grid list (a page of 100 at a time until found). */
  async household() {
    let cursor: string | undefined;
    do {
      const page = await http.call(getGridHouseholds, { params: { gridId: this.gridId }, query: { limit: 100, ...(cursor ? { cursor } : {}) } });
      const h = page.items.find((x) => x.householdId === this.householdId);
      if (h) return { householdId: h.householdId, address: h.address, members: h.members.map((m) => ({ personId: m.personId, label: `${m.name}（${m.relation}）` })) };
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    throw new Error('没有找到这户，请返回网格住户重新选择');
  },
  onMember(e: WechatMiniprogram.PickerChange) {
    this.setData({ memberIndex: Number(e.detail.value), 'errors.member': '' });
  },
  onShow() {
    care(this);
  },
  async addPhotos() {
    const picked = await choosePhotos(9 - this.data.photos.length);
    if (picked.length) this.setData({ photos: [...this.data.photos, ...picked].slice(0, 9) });
  },
  removePhoto(e: WechatMiniprogram.TouchEvent) {
    this.setData({ photos: this.data.photos.filter((_, i) => i !== Number(e.currentTarget.dataset.index)) });
  },
  mine() {
    go('/pages/requests/mine/index');
  },
  onType(e: WechatMiniprogram.PickerChange) {
    const i = Number(e.detail.value);
    this.setData({ typeIndex: i, controls: formFor(this.data.types[i]!), values: {}, errors: {} });
  },
  onDescription(e: WechatMiniprogram.Input) {
    this.setData({ description: e.detail.value });
  },
  onInput(e: WechatMiniprogram.Input) {
    this.setData({ [`values.${e.currentTarget.dataset.code}`]: e.detail.value });
  },
  onPick(e: WechatMiniprogram.PickerChange) {
    const control = this.data.controls.find((c) => c.code === e.currentTarget.dataset.code)!;
    const choice = control.options[Number(e.detail.value)];
    const value = control.kind === 'picker' ? choice!.key : e.detail.value;
    // The picker shows what was chosen, in words, not "已选择".
    this.setData({ [`values.${control.code}`]: value, [`chosen.${control.code}`]: choice?.name ?? '' });
  },
  onSwitch(e: WechatMiniprogram.SwitchChange) {
    this.setData({ [`values.${e.currentTarget.dataset.code}`]: e.detail.value });
  },
  onChecks(e: WechatMiniprogram.CheckboxGroupChange) {
    this.setData({ [`values.${e.currentTarget.dataset.code}`]: e.detail.value });
  },
  async submit() {
    // A second tap before the button has re-rendered as disabled must not send a second request.
    if (this.data.submitting) return;
    const type = this.data.types[this.data.typeIndex]!;
    const errors: Record<string, string> = {
      ...(this.data.onBehalf && this.data.memberIndex < 0 ? { member: '请选择为哪位成员代办' } : {}),
      ...missingAnswers(this.data.controls, this.data.values, this.data.description),
    };
    this.setData({ errors });
    const first = Object.keys(errors)[0];
    if (first) {
      // Where the first thing to fix is, so that an elderly resident does not have to look for it.
      void wx.pageScrollTo({ selector: first === 'description' ? '.description' : first === 'member' ? '.member-picker' : `.control-${first}`, duration: 300 });
      return;
    }
    askToNotify(['request_status']);
    this.setData({ submitting: true });
    try {
      const onBehalf = this.data.onBehalf;
      const draft: RequestDraft = {
        body: submission(type, this.data.values, this.data.description),
        ...(onBehalf ? { onBehalf: { householdId: onBehalf.householdId, personId: onBehalf.members[this.data.memberIndex]!.personId } } : {}),
        photoPaths: this.data.photos,
        photoKeys: [],
      };
      const out = await submitOrKeep(queue, 'request', draft, (d, idempotencyKey) => sendRequestDraft(d, idempotencyKey));
      this.setData({ finished: true, result: out.sent ? `已提交，编号 ${out.result.requestId}，请留意办理进度` : '暂时提交不了（网络不好或系统繁忙），已保存在手机上，稍后自动提交' });
      void wx.showToast({ title: out.sent ? '已提交' : '已保存，稍后自动提交', icon: out.sent ? 'success' : 'none' });
    } catch (err) {
      if (err instanceof ApiError) this.setData({ errors: err.fieldMessages(), result: err.message });
      else this.setData({ result: (err as Error).message });
      void wx.showToast({ title: (err as Error).message, icon: 'none' });
    } finally {
      this.setData({ submitting: false });
    }
  },
});
