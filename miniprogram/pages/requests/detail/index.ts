import { actionNames, outcomeChoices, requestDetail, type Viewer } from '../../../logic/views';
import { getRequestDetail, postRequestAction } from '../../../services/routes';
import type { BodyOf } from '../../../services/http';
import { act, care, load, param } from '../../../services/ui';
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
    stars: [1, 2, 3, 4, 5],
    outcomes: outcomeChoices,
    outcomeIndex: 0,
    busy: false,
    errors: {} as Record<string, string>,
    loading: false,
    loadError: '',
    rootClass: 'normal',
  },
  onLoad(query: Record<string, string | undefined>) {
    this.setData({ requestId: query.requestId ?? '', viewer: query.as === 'handler' ? 'handler' : 'requester' });
    return load(this, async () => ({ q: requestDetail(await http.call(getRequestDetail, { params: { requestId: param(query, 'requestId') } }), this.data.viewer) }));
  },
  onShow() {
    care(this);
  },
  reload() {
    return load(this, async () => ({ q: requestDetail(await http.call(getRequestDetail, { params: { requestId: this.data.requestId } }), this.data.viewer) }));
  },
  onAction(e: WechatMiniprogram.TouchEvent) {
    const action = String(e.currentTarget.dataset.action);
    if (immediate.has(action)) return this.send({ action } as Body);
    this.setData({ form: action, text: '', errors: {} });
    return undefined;
  },
  onText(e: WechatMiniprogram.Input) {
    this.setData({ text: e.detail.value });
  },
  onStar(e: WechatMiniprogram.TouchEvent) {
    this.setData({ score: Number(e.currentTarget.dataset.score) });
  },
  onOutcome(e: WechatMiniprogram.PickerChange) {
    this.setData({ outcomeIndex: Number(e.detail.value) });
  },
  closeForm() {
    this.setData({ form: '' });
  },
  submitForm() {
    const { form, text, score, outcomeIndex } = this.data;
    const body = {
      comment: { action: 'comment', text },
      resolve: { action: 'resolve', outcome: outcomeChoices[outcomeIndex]!.key, note: text },
      escalate: { action: 'escalate', reason: text },
      reopen: { action: 'reopen', reason: text },
      rate: { action: 'rate', score, ...(text.trim() ? { comment: text } : {}) },
    }[form];
    if (body) return this.send(body as Body);
    return undefined;
  },
  async send(body: Body) {
    const done = await act(this, () => http.call(postRequestAction, { params: { requestId: this.data.requestId }, body }), { success: `已${actionNames[body.action]}` });
    if (!done) return;
    this.setData({ form: '' });
    await this.reload();
  },
});
