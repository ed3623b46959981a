import { householdRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getGridHouseholds, getMe } from '../../../services/routes';
import { filter, go, listPageHooks, load, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

type Filters = { colour?: 'red' | 'yellow' | 'green' };
const tabs = [
  { key: '', name: '全部' },
  { key: 'red', name: '红灯' },
  { key: 'yellow', name: '黄灯' },
  { key: 'green', name: '绿灯' },
];

/** The grid worker's households by colour, with why and who needs care (numbers masked). */
Page({
  ...listPageHooks,
  data: { tabs, colour: '', grid: '', items: [] as ReturnType<typeof householdRow>[], done: false, error: null as string | null, loading: false, loadError: '', rootClass: 'normal' },
  async onLoad() {
    await load(this, async () => {
      const me = await http.call(getMe);
      const gridId = me.gridId;
      if (!gridId) throw new Error('您的账号还没有分配网格，请联系社区');
      await startList(this, (f: Filters, cursor) => rows(http.call(getGridHouseholds, { params: { gridId }, query: { ...f, cursor } }), householdRow), {});
      return { grid: gridId };
    });
  },
  /** 代办: a request for a member of this household who has no phone (the form asks which member). */
  onBehalf(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.requestOnBehalf(String(e.currentTarget.dataset.id), this.data.grid)));
  },
  onTab(e: WechatMiniprogram.TouchEvent) {
    const colour = String(e.currentTarget.dataset.colour);
    this.setData({ colour });
    return filter<Filters>(this, { colour: (colour || undefined) as Filters['colour'] });
  },
});
