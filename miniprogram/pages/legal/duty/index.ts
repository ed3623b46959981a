import { slotRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getLegalFigures, getLegalSlots } from '../../../services/routes';
import { go, load, reloadOnReturnHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

/** 值班咨询 (the centre's officer): this month's consultations, and the coming slots with how many booked. */
Page({
  ...reloadOnReturnHooks,
  data: { items: [] as ReturnType<typeof slotRow>[], month: '', loading: false, done: false, error: null as string | null, loadError: '', rootClass: 'normal' },
  async onLoad() {
    await Promise.all([
      load(this, async () => {
        const f = await http.call(getLegalFigures, { query: {} });
        return { month: `本月预约 ${f.booked} 人次，已咨询 ${f.held}，未到 ${f.noShow}；转法律援助 ${f.toLegalAid}，转调解 ${f.toMediation}` };
      }),
      startList(this, (_f: object, cursor) => rows(http.call(getLegalSlots, { query: { cursor } }), slotRow), {}),
    ]);
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.legalSlot(String(e.currentTarget.dataset.id))));
  },
});
