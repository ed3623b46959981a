import { visitGroups } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getMyVisits } from '../../../services/routes';
import { care, go, load } from '../../../services/ui';
import { http } from '../../../services/wx';

/** The grid worker's visits: overdue first, then today's, then the coming days. */
Page({
  data: { groups: null as ReturnType<typeof visitGroups> | null, loading: false, loadError: '', rootClass: 'normal' },
  onShow() {
    care(this);
    // Also on coming back from a visit log: the logged visit leaves the list.
    return this.reload();
  },
  async onPullDownRefresh() {
    await this.reload();
    void wx.stopPullDownRefresh();
  },
  reload() {
    return load(this, async () => {
      // A worker has a few dozen open visits at most (two workers, ~640 households, green monthly).
      const items = [];
      let cursor: string | undefined;
      do {
        const page = await http.call(getMyVisits, { query: { limit: 100, cursor } });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { groups: visitGroups(items) };
    });
  },
  open(e: WechatMiniprogram.TouchEvent) {
    const d = e.currentTarget.dataset as { id: string; address: string; colour: string };
    go(navigateUrl(links.visitLog(String(d.id), String(d.address), String(d.colour))));
  },
});
