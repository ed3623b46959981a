import { links, navigateUrl } from '../../../services/links';
import { postLegalBooking } from '../../../services/routes';
import { askToNotify, loadSubscribeTemplates } from '../../../services/subscribe';
import { act, care, go, param } from '../../../services/ui';
import { http } from '../../../services/wx';

const categories = [
  { key: 'labour', name: '劳动争议（欠薪、工伤）' },
  { key: 'family', name: '婚姻家庭' },
  { key: 'debt', name: '借贷纠纷' },
  { key: 'neighbour', name: '邻里纠纷' },
  { key: 'land_housing', name: '土地房屋' },
  { key: 'other', name: '其他' },
] as const;

/** The booking form of one slot: what it is about (a choice and a few words), then 提交预约. */
Page({
  data: { slotId: '', when: '', place: '', categories, category: '', description: '', busy: false, errors: {} as Record<string, string>, booked: null as null | { when: string; how: string }, loadError: '', rootClass: 'normal' },
  onLoad(query: Record<string, string | undefined>) {
    void loadSubscribeTemplates();
    try {
      this.setData({ slotId: param(query, 'slotId'), when: decodeURIComponent(query.when ?? ''), place: decodeURIComponent(query.place ?? '') });
    } catch (err) {
      this.setData({ loadError: (err as Error).message });
    }
  },
  onShow() {
    care(this);
  },
  /** A choice is a large tile that turns green when chosen: easier to hit and to see than a radio dot. */
  onCategory(e: WechatMiniprogram.TouchEvent) {
    this.setData({ category: String(e.currentTarget.dataset.key), errors: { ...this.data.errors, category: '' } });
  },
  onDescription(e: WechatMiniprogram.Input) {
    this.setData({ description: e.detail.value });
  },
  async submit() {
    const { slotId, category, description } = this.data;
    // Said beside the field at once, before anything is sent.
    if (!category) {
      this.setData({ errors: { category: '请选择咨询的事项' } });
      return;
    }
    askToNotify(['consultation_reminder']);
    const out = await act(this, () => http.call(postLegalBooking, { params: { slotId }, body: { category: category as (typeof categories)[number]['key'], description } }), { loading: '正在预约', success: '预约成功' });
    if (out) this.setData({ booked: { when: out.slot.when, how: `${out.slot.modeName} · ${out.slot.place}` } });
  },
  mine() {
    go(navigateUrl(links.myConsultations()));
  },
});
