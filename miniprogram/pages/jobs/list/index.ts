import { careMode } from '../../../logic/care-mode';
import { createPagedList } from '../../../logic/paged-list';
import { getJobs } from '../../../services/routes';
import { http, storage } from '../../../services/wx';

type Filters = { employerKind?: 'workshop' | 'public_welfare' | 'transfer'; minSalary?: number };
const kinds = [{ key: undefined, name: '全部' }, { key: 'workshop', name: '扶贫车间' }, { key: 'public_welfare', name: '公益性岗位' }, { key: 'transfer', name: '转移就业' }];
const list = createPagedList((f: Filters, cursor) => http.call(getJobs, { query: { ...f, cursor, limit: 20 } }), {});

Page({
  data: { ...list.state, kinds, kindIndex: 0, rootClass: careMode(storage).rootClass() },
  async onLoad() {
    this.setData({ ...(await list.refresh()) });
  },
  async onReachBottom() {
    this.setData({ ...(await list.more()) });
  },
  async onKind(e: WechatMiniprogram.PickerChange) {
    const i = Number(e.detail.value);
    this.setData({ kindIndex: i });
    this.setData({ ...(await list.setFilters({ ...list.state.filters, employerKind: kinds[i]!.key as Filters['employerKind'] })) });
  },
  async onMinSalary(e: WechatMiniprogram.InputConfirm) {
    const v = Number(e.detail.value);
    this.setData({ ...(await list.setFilters({ ...list.state.filters, minSalary: v > 0 ? v : undefined })) });
  },
});
