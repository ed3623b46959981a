import { fullDate } from '../../../logic/format';
import { mediationOfficerActions } from '../../../logic/views';
import {
  getMe,
  getMediation,
  postMediationAgreement,
  postMediationConfirm,
  postMediationConsent,
  postMediationDecision,
  postMediationFailure,
  postMediationFollowUp,
  postMediationSession,
} from '../../../services/routes';
import { act, confirm, formPageHooks, load, openPdf, param } from '../../../services/ui';
import { http } from '../../../services/wx';

type Case = Awaited<ReturnType<typeof loadCase>>;
const actionNames: Record<string, string> = {
  accept: '受理',
  decline: '不予受理',
  consent: '记录当事人同意',
  session: '记录调解',
  agreement: '制作调解协议',
  confirm: '记录当事人签字',
  failure: '调解不成',
  followUp: '回访',
};
const performances = [
  { key: 'performed', name: '已履行' },
  { key: 'partly', name: '部分履行' },
  { key: 'not_performed', name: '未履行' },
] as const;
const blankObligation = () => ({ partyId: '', what: '', how: '', by: '' });

/**
 * 调解案件: the case file as its parties read it (who agreed to mediation, the sessions, the
 * agreement with its PDF, what to do next: 同意调解, 确认协议); the centre's officer runs it from
 * here (accept, record a session, draft the agreement, record a signature, failure, follow-up).
 */
Page({
  ...formPageHooks,
  data: {
    id: '',
    c: null as Case | null,
    officer: false,
    actions: [] as { key: string; name: string }[],
    action: '',
    party: '',
    performances,
    performed: '',
    form: { mediators: '', reason: '', place: '', attendees: '', record: '', facts: '', dispute: '', referredTo: '', note: '' },
    obligations: [blankObligation()],
    busy: false,
    errors: {} as Record<string, string>,
    loading: false,
    loadError: '',
    rootClass: 'normal',
  },
  /** The case, and (once: roles do not change on this page) whether the reader is the centre's officer. */
  onLoad(query: Record<string, string | undefined>) {
    return load(this, async () => {
      const id = param(query, 'id');
      const [c, me] = await Promise.all([loadCase(id), http.call(getMe)]);
      return { id, officer: me.roles.includes('legal_officer'), ...shown(c, me.roles.includes('legal_officer')) };
    });
  },
  /** After an action: the case as it is now, and the officer's next steps. */
  reload() {
    return load(this, async () => shown(await loadCase(this.data.id), this.data.officer));
  },
  async consent() {
    if (!(await confirm('同意由人民调解委员会主持调解这件纠纷吗？调解不收费，您可以随时退出调解。', '同意调解', '同意'))) return;
    if (await act(this, () => http.call(postMediationConsent, { params: { caseId: this.data.id }, body: {} }), { success: '已同意调解' })) await this.reload();
  },
  async confirmAgreement() {
    if (!(await confirm('确认后，您同意协议的全部内容并按约定履行。各方都确认后协议生效。', '确认调解协议', '确认'))) return;
    if (await act(this, () => http.call(postMediationConfirm, { params: { caseId: this.data.id }, body: {} }), { success: '已确认' })) await this.reload();
  },
  async openAgreement() {
    // The link lives 5 minutes: read the case again for a fresh one.
    await act(this, async () => openPdf((await loadCase(this.data.id)).agreement!.pdfUrl!), { loading: '正在打开' });
  },
  onAction(e: WechatMiniprogram.TouchEvent) {
    this.setData({ action: String(e.currentTarget.dataset.key), party: '', errors: {} });
  },
  onParty(e: WechatMiniprogram.TouchEvent) {
    this.setData({ party: String(e.currentTarget.dataset.id), 'errors.partyId': '' });
  },
  onPerformed(e: WechatMiniprogram.TouchEvent) {
    this.setData({ performed: String(e.currentTarget.dataset.key), 'errors.performed': '' });
  },
  onObligation(e: WechatMiniprogram.Input) {
    const { index, key } = e.currentTarget.dataset as { index: number; key: string };
    this.setData({ [`obligations[${index}].${key}`]: e.detail.value });
  },
  onObligationParty(e: WechatMiniprogram.TouchEvent) {
    const { index, id } = e.currentTarget.dataset as { index: number; id: string };
    this.setData({ [`obligations[${index}].partyId`]: id });
  },
  addObligation() {
    if (this.data.obligations.length < 5) this.setData({ obligations: [...this.data.obligations, blankObligation()] });
  },
  async submitAction() {
    const { action, form, party, performed, obligations } = this.data;
    const caseId = this.data.id;
    const params = { caseId };
    const send: Record<string, () => Promise<unknown>> = {
      accept: () => http.call(postMediationDecision, { params, body: { accept: true, mediators: splitNames(form.mediators).map((name) => ({ name })) } }),
      decline: () => http.call(postMediationDecision, { params, body: { accept: false, reason: form.reason } }),
      consent: () => http.call(postMediationConsent, { params, body: { partyId: party } }),
      confirm: () => http.call(postMediationConfirm, { params, body: { partyId: party } }),
      session: () => http.call(postMediationSession, { params, body: { at: new Date().toISOString(), place: form.place, attendees: form.attendees, record: form.record } }),
      agreement: () => http.call(postMediationAgreement, { params, body: { facts: form.facts, dispute: form.dispute, obligations } }),
      failure: () => http.call(postMediationFailure, { params, body: { reason: form.reason, referredTo: form.referredTo } }),
      followUp: () => http.call(postMediationFollowUp, { params, body: { performed: performed as (typeof performances)[number]['key'], note: form.note } }),
    };
    if ((action === 'consent' || action === 'confirm') && !party) return this.setData({ errors: { partyId: '请选择当事人' } });
    if (action === 'followUp' && !performed) return this.setData({ errors: { performed: '请选择协议的履行情况' } });
    if (await act(this, send[action]!, { loading: '正在提交', success: '已记录' })) await this.reload();
    return undefined;
  },
});

/** What the page shows of a case: the case, the officer's steps for it, no step chosen. */
function shown(c: Case, officer: boolean) {
  return { c, actions: officer ? mediationOfficerActions(c).map((key) => ({ key, name: actionNames[key]! })) : [], action: '', party: '', errors: {} };
}

/** 李调解、张主任 → two names (、，, or spaces between). */
function splitNames(text: string): string[] {
  return text
    .split(/[、，,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

async function loadCase(caseId: string) {
  const c = await http.call(getMediation, { params: { caseId } });
  const agreement = c.agreement ? { ...c.agreement, obligations: c.agreement.obligations.map((o) => ({ ...o, byText: fullDate(o.by) })) } : null;
  return { ...c, agreement, tone: c.overdue ? 'alert' : c.status === 'settled' ? 'done' : c.status === 'failed' || c.status === 'declined' ? 'neutral' : 'waiting', mediatorText: c.mediators.join('、') };
}
