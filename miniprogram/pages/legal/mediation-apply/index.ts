import { links, navigateUrl } from '../../../services/links';
import { postMediation } from '../../../services/routes';
import { askToNotify, loadSubscribeTemplates } from '../../../services/subscribe';
import { act, formPageHooks, go } from '../../../services/ui';
import { http } from '../../../services/wx';

const categories = [
  { key: 'neighbour', name: '邻里纠纷' },
  { key: 'family', name: '婚姻家庭纠纷' },
  { key: 'land_housing', name: '土地房屋纠纷' },
  { key: 'labour', name: '劳动报酬纠纷' },
  { key: 'debt', name: '借贷纠纷' },
  { key: 'property', name: '物业纠纷' },
  { key: 'compensation', name: '损害赔偿纠纷' },
  { key: 'other', name: '其他纠纷' },
] as const;
type Category = (typeof categories)[number]['key'];

/**
 * 申请人民调解: what kind of dispute, what happened, what they want, and who the other side is (a
 * phone number lets the other side, if they use the app, agree to mediation in it).
 */
Page({
  ...formPageHooks,
  data: {
    categories,
    category: '',
    form: { facts: '', claim: '', name: '', phone: '' },
    fromSlotId: '',
    busy: false,
    errors: {} as Record<string, string>,
    done: null as null | { id: string; caseNo: string; asked: boolean; other: string },
    rootClass: 'normal',
  },
  onLoad(query: Record<string, string | undefined> = {}) {
    void loadSubscribeTemplates();
    this.setData({ fromSlotId: query.fromSlotId ?? '' });
  },
  onCategory(e: WechatMiniprogram.TouchEvent) {
    this.setData({ category: String(e.currentTarget.dataset.key), 'errors.category': '' });
  },
  async submit() {
    if (!this.data.category) {
      this.setData({ errors: { category: '请选择纠纷的类别' } });
      return;
    }
    askToNotify(['legal_case']);
    const { form, category, fromSlotId } = this.data;
    const out = await act(
      this,
      () =>
        http.call(postMediation, {
          body: { category: category as Category, facts: form.facts, claim: form.claim, respondents: [{ name: form.name, ...(form.phone ? { phone: form.phone } : {}) }], ...(fromSlotId ? { fromSlotId } : {}) },
        }),
      { loading: '正在提交', success: '已提交' },
    );
    if (out) {
      const other = out.parties.find((p) => p.role === 'respondent')!;
      this.setData({ done: { id: out.caseId, caseNo: out.caseNo, asked: other.usesApp, other: other.name } });
    }
  },
  view() {
    go(navigateUrl(links.mediationCase(this.data.done!.id)));
  },
});
