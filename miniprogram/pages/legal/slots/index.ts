import { slotRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getLegalSlots, postLegalBookingMove } from '../../../services/routes';
import { act, confirm, go, listPageHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

/**
 * 法律咨询: the duty lawyer's slots of the next two weeks, earliest first, with the places left.
 * Tapping one opens its booking form; with `moveFrom` (改约 from 我的法律咨询) it moves that booking.
 */
Page({
  ...listPageHooks,
  data: { items: [] as ReturnType<typeof slotRow>[], moveFrom: '', loading: false, done: false, error: null as string | null, busy: false, errors: {}, rootClass: 'normal' },
  onLoad(query: Record<string, string | undefined>) {
    this.setData({ moveFrom: query.moveFrom ?? '' });
    if (query.moveFrom) void wx.setNavigationBarTitle({ title: '改约：选择新的时段' });
    return startList(this, (_f: object, cursor) => rows(http.call(getLegalSlots, { query: { cursor } }), slotRow), {});
  },
  async open(e: WechatMiniprogram.TouchEvent) {
    const slot = this.data.items.find((s) => s.slotId === String(e.currentTarget.dataset.id));
    if (!slot) return;
    if (slot.full) {
      void wx.showToast({ title: '这个时段已约满，请选择其他时段', icon: 'none' });
      return;
    }
    if (!this.data.moveFrom) {
      go(navigateUrl(links.legalBook(slot.slotId, slot.when, slot.how)));
      return;
    }
    if (slot.slotId === this.data.moveFrom) {
      void wx.showToast({ title: '这就是您现在预约的时段', icon: 'none' });
      return;
    }
    if (!(await confirm(`改到 ${slot.when}（${slot.how}）吗？原来的预约会取消。`, '改约'))) return;
    const moved = await act(this, () => http.call(postLegalBookingMove, { params: { slotId: this.data.moveFrom }, body: { toSlotId: slot.slotId } }), { loading: '正在改约', success: '已改约' });
    if (moved) void wx.navigateBack();
  },
});
