import { consultationRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { deleteMyLegalBooking, getMyConsultations } from '../../../services/routes';
import { act, confirm, go, refresh, reloadOnReturnHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

/** 我的法律咨询: upcoming and past consultations; cancel or move one not yet begun; the lawyer's advice after. */
Page({
  // Back from 改约: the list as it is now.
  ...reloadOnReturnHooks,
  data: { items: [] as ReturnType<typeof consultationRow>[], loading: false, done: false, error: null as string | null, busy: false, errors: {}, rootClass: 'normal' },
  onLoad() {
    return startList(this, (_f: object, cursor) => rows(http.call(getMyConsultations, { query: { cursor } }), consultationRow), {});
  },
  async cancel(e: WechatMiniprogram.TouchEvent) {
    const slotId = String(e.currentTarget.dataset.id);
    if (!(await confirm('确定取消这次法律咨询吗？名额会让给其他居民。'))) return;
    if (await act(this, () => http.call(deleteMyLegalBooking, { params: { slotId } }), { success: '已取消' })) await refresh(this);
  },
  move(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.legalSlots(String(e.currentTarget.dataset.id))));
  },
  next(e: WechatMiniprogram.TouchEvent) {
    go(String(e.currentTarget.dataset.url));
  },
  book() {
    go(navigateUrl(links.legalSlots()));
  },
});
