import { jobRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getJobs } from '../../../services/routes';
import { filter, go, listPageHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

type Filters = { employerKind?: 'workshop' | 'public_welfare' | 'transfer'; minSalary?: number; keyword?: string };
const kinds = [
  { key: '', name: '全部' },
  { key: 'workshop', name: '扶贫车间' },
  { key: 'public_welfare', name: '公益性岗位' },
  { key: 'transfer', name: '转移就业' },
];

/** Open jobs with filters and infinite scroll. */
Page({
  ...listPageHooks,
  data: { items: [] as ReturnType<typeof jobRow>[], loading: false, done: false, error: null as string | null, kinds, kindIndex: 0, rootClass: 'normal' },
  onLoad() {
    return startList(this, (f: Filters, cursor) => rows(http.call(getJobs, { query: { ...f, cursor, limit: 20 } }), jobRow), {});
  },
  onKind(e: WechatMiniprogram.PickerChange) {
    const i = Number(e.detail.value);
    this.setData({ kindIndex: i });
    return filter<Filters>(this, { employerKind: (kinds[i]!.key || undefined) as Filters['employerKind'] });
  },
  onMinSalary(e: WechatMiniprogram.InputConfirm) {
    const v = Number(e.detail.value);
    return filter<Filters>(this, { minSalary: v > 0 ? v : undefined });
  },
  onKeyword(e: WechatMiniprogram.InputConfirm) {
    return filter<Filters>(this, { keyword: String(e.detail.value).trim() || undefined });
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.job(String(e.currentTarget.dataset.id))));
  },
});
