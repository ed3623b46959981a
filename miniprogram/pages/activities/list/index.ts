import { activityRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getActivities } from '../../../services/routes';
import { filter, go, listPageHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

type Filters = { type?: 'clinic' | 'small_service' | 'youth_education' | 'elderly_care' };
const types = [
  { key: '', name: '全部' },
  { key: 'clinic', name: '义诊' },
  { key: 'small_service', name: '小微服务' },
  { key: 'youth_education', name: '青少年教育' },
  { key: 'elderly_care', name: '居家养老' },
];

/** Upcoming volunteer activities, soonest first, by type. */
Page({
  ...listPageHooks,
  data: { items: [] as ReturnType<typeof activityRow>[], loading: false, done: false, error: null as string | null, types, typeIndex: 0, rootClass: 'normal' },
  onLoad() {
    return startList(this, (f: Filters, cursor) => rows(http.call(getActivities, { query: { ...f, cursor } }), activityRow), {});
  },
  onType(e: WechatMiniprogram.PickerChange) {
    const i = Number(e.detail.value);
    this.setData({ typeIndex: i });
    return filter<Filters>(this, { type: (types[i]!.key || undefined) as Filters['type'] });
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.activity(String(e.currentTarget.dataset.id))));
  },
});
