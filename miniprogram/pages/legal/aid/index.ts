import { aidRow } from '../../../logic/views';
import { getLegalAid, getMe, postLegalAidClosure, postLegalAidDecision } from '../../../services/routes';
import { act, formPageHooks, load, param } from '../../../services/ui';
import { http } from '../../../services/wx';

const results = [
  { key: 'supported', name: '请求得到支持' },
  { key: 'settled', name: '和解结案' },
  { key: 'mediated', name: '调解结案' },
  { key: 'not_supported', name: '请求未获支持' },
  { key: 'withdrawn', name: '申请人撤回' },
  { key: 'terminated', name: '终止法律援助' },
] as const;
type Result = (typeof results)[number]['key'];

/**
 * One legal-aid application. The applicant sees where it stands (by when the centre decides, the
 * lawyer assigned, or the reason it was refused and where to object); the centre's officer decides
 * it (aid with a lawyer, or refuse with the reason) and later closes the case with its result.
 */
Page({
  ...formPageHooks,
  data: {
    id: '',
    a: null as null | Awaited<ReturnType<typeof loadAid>>,
    officer: false,
    decision: '' as '' | 'accept' | 'refuse',
    results,
    result: '',
    form: { lawyerName: '', lawFirm: '', lawyerPhone: '', reason: '', note: '' },
    busy: false,
    errors: {} as Record<string, string>,
    loading: false,
    loadError: '',
    rootClass: 'normal',
  },
  /** The application, and (once: roles do not change on this page) whether the reader is the centre's officer. */
  onLoad(query: Record<string, string | undefined>) {
    return load(this, async () => {
      const id = param(query, 'id');
      const [a, me] = await Promise.all([loadAid(id), http.call(getMe)]);
      return { id, a, officer: me.roles.includes('legal_officer') };
    });
  },
  /** After an action: the application as it is now. */
  reload() {
    return load(this, async () => ({ a: await loadAid(this.data.id) }));
  },
  preview(e: WechatMiniprogram.TouchEvent) {
    const urls = this.data.a?.photoUrls ?? [];
    void wx.previewImage({ urls, current: String(e.currentTarget.dataset.url) });
  },
  onDecision(e: WechatMiniprogram.TouchEvent) {
    this.setData({ decision: e.currentTarget.dataset.key as 'accept' | 'refuse', errors: {} });
  },
  onResult(e: WechatMiniprogram.TouchEvent) {
    this.setData({ result: String(e.currentTarget.dataset.key), 'errors.result': '' });
  },
  async decide() {
    const { decision, form, id } = this.data;
    if (!decision) {
      this.setData({ errors: { decision: '请选择给予或不予法律援助' } });
      return;
    }
    const body =
      decision === 'accept'
        ? { decision, lawyerName: form.lawyerName, lawFirm: form.lawFirm, ...(form.lawyerPhone ? { lawyerPhone: form.lawyerPhone } : {}) }
        : { decision, reason: form.reason };
    if (await act(this, () => http.call(postLegalAidDecision, { params: { applicationId: id }, body }), { loading: '正在提交', success: '已作出决定' })) await this.reload();
  },
  async close() {
    const { result, form, id } = this.data;
    if (!result) {
      this.setData({ errors: { result: '请选择结案结果' } });
      return;
    }
    if (await act(this, () => http.call(postLegalAidClosure, { params: { applicationId: id }, body: { result: result as Result, note: form.note } }), { loading: '正在提交', success: '已结案' })) await this.reload();
  },
});

async function loadAid(applicationId: string) {
  const a = await http.call(getLegalAid, { params: { applicationId } });
  return { ...a, row: aidRow(a) };
}
