import { actionDoneMessages, actionNames, type FieldLabel, outcomeChoices, requestDetail, type Viewer } from '../../../logic/views';
import type { BodyOf } from '../../../services/http';
import { getRequestDetail, getRequestTypes, postContactReveal, postRequestAction } from '../../../services/routes';
import { act, care, confirm, load } from '../../../services/ui';
import { http } from '../../../services/wx';

type Body = BodyOf<typeof postRequestAction>;

/** Actions that need no words go at once; the others open a short form first. */
const immediate = new Set(['accept', 'confirm']);

/**
 * One request with its timeline. The requester confirms, reopens or rates it; a handler (from
 * the inbox) accepts, resolves or escalates it; both can leave a message.
 */
Page({
  data: {
    requestId: '',
    viewer: 'requester' as Viewer,
    q: null as ReturnType<typeof requestDetail> | null,
    actionNames,
    form: '',
    text: '',
    score: 5,
    outcomes: outcomeChoices,
    outcomeIndex: 0,
    parties: '',
    /** The resident's number, once revealed for this request. */
    revealed: '',
    /** Whether this kind of request is mediated, and its form's questions (from the catalogue, read once per page). */
    mediated: null as boolean | null,
    fieldLabels: [] as FieldLabel[],
    busy: false,
    errors: {} as Record<string, string>,
    loading: false,
    loadError: '',
    rootClass: 'normal',
  },
  onLoad(query: Record<string, string | undefined>) {
    this.setData({ requestId: query.requestId ?? '', viewer: query.as === 'handler' ? 'handler' : 'requester' });
    return this.reload();
  },
  onShow() {
    care(this);
  },
  reload() {
    return load(this, async () => {
      if (!this.data.requestId) throw new Error('页面参数缺失，请返回重试');
      // The catalogue says whether this kind of request is mediated; it does not change while
      // the page is open, so only the first load asks for it, not the reload after each action.
      const [q, types] = await Promise.all([
        http.call(getRequestDetail, { params: { requestId: this.data.requestId } }),
        this.data.mediated === null ? http.call(getRequestTypes) : undefined,
      ]);
      const type = types?.items.find((t) => t.code === q.typeCode);
      const mediated = types ? !!type?.mediation : this.data.mediated!;
      const fieldLabels = types ? (type?.fields ?? []) : this.data.fieldLabels;
      return { mediated, fieldLabels, q: requestDetail(q, this.data.viewer, new Date(), mediated, fieldLabels) };
    });
  },
  onAction(e: WechatMiniprogram.TouchEvent) {
    const action = String(e.currentTarget.dataset.action);
    if (immediate.has(action)) return this.send({ action } as Body);
    this.setData({ form: action, text: '', errors: {} });
    return undefined;
  },
  preview(e: WechatMiniprogram.TouchEvent) {
    void wx.previewImage({ current: String(e.currentTarget.dataset.url), urls: this.data.q?.photos ?? [] });
  },
  /** Reveals the resident's phone through the audited route (with this request as the reason), then calls. */
  async contactRequester() {
    const q = this.data.q;
    if (!q) return;
    let number = this.data.revealed;
    if (!number) {
      if (!(await confirm('查看居民的电话会留下记录（谁、何时、为哪条诉求）。确定要联系吗？'))) return;
      const out = await act(this, () => http.call(postContactReveal, { params: { userId: q.requesterId }, body: { field: 'phone', reason: `办理诉求 ${q.requestId}`, requestId: q.requestId } }));
      if (!out) return;
      if (!out.value) {
        void wx.showToast({ title: '这位居民没有留电话', icon: 'none' });
        return;
      }
      number = out.value;
      this.setData({ revealed: number });
    }
    void wx.makePhoneCall({ phoneNumber: number });
  },
  onParties(e: WechatMiniprogram.Input) {
    this.setData({ parties: e.detail.value });
  },
  onText(e: WechatMiniprogram.Input) {
    this.setData({ text: e.detail.value });
  },
  onStars(e: WechatMiniprogram.CustomEvent<{ score: number }>) {
    this.setData({ score: e.detail.score });
  },
  onOutcome(e: WechatMiniprogram.PickerChange) {
    this.setData({ outcomeIndex: Number(e.detail.value) });
  },
  closeForm() {
    this.setData({ form: '' });
  },
  submitForm() {
    const { form, text, score, outcomeIndex, parties } = this.data;
    const partyList = parties.split(/[,，、;；]+/).map((p) => p.trim()).filter(Boolean);
    const body = {
      comment: { action: 'comment', text },
      resolve: { action: 'resolve', outcome: outcomeChoices[outcomeIndex]!.key, note: text },
      escalate: { action: 'escalate', reason: text },
      reopen: { action: 'reopen', reason: text },
      rate: { action: 'rate', score, ...(text.trim() ? { comment: text } : {}) },
      mediation: { action: 'mediation', ...(partyList.length ? { parties: partyList } : {}), ...(text.trim() ? { agreementTerms: text } : {}) },
      follow_up: { action: 'follow_up', note: text },
    }[form];
    if (body) return this.send(body as Body);
    return undefined;
  },
  async send(body: Body) {
    const done = await act(this, () => http.call(postRequestAction, { params: { requestId: this.data.requestId }, body }), { success: actionDoneMessages[body.action] ?? '已完成' });
    if (!done) return;
    this.setData({ form: '' });
    await this.reload();
  },
});
