import { homeEntries } from '../../../logic/home';
import { getMe } from '../../../services/routes';
import { care, go, load } from '../../../services/ui';
import { http } from '../../../services/wx';

/** 办事: every service a resident can use, and (first) the work of the roles this person holds. */
Page({
  data: { work: [] as ReturnType<typeof homeEntries>['work'], services: homeEntries([]).services, rootClass: 'normal', loading: false, loadError: '' },
  onLoad() {
    return load(this, async () => ({ work: homeEntries((await http.call(getMe)).roles).work }));
  },
  onShow() {
    care(this);
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(String(e.currentTarget.dataset.url));
  },
});
