import { aidRow, mediationRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getMyLegalAid, getMyMediations } from '../../../services/routes';
import { care, go, load } from '../../../services/ui';
import { http } from '../../../services/wx';

/** 我的援助与调解: the resident's legal-aid applications and the mediation cases they are a party to; what waits for them first. */
Page({
  data: { aid: [] as ReturnType<typeof aidRow>[], cases: [] as ReturnType<typeof mediationRow>[], loading: false, loadError: '', rootClass: 'normal' },
  shown: false,
  onLoad() {
    return this.reload();
  },
  onShow() {
    care(this);
    // Back from a case (agreed, confirmed): read again.
    if (this.shown) void this.reload();
    this.shown = true;
  },
  async onPullDownRefresh() {
    await this.reload();
    void wx.stopPullDownRefresh();
  },
  reload() {
    return load(this, async () => {
      const [aid, cases] = await Promise.all([http.call(getMyLegalAid, { query: { limit: 50 } }), http.call(getMyMediations, { query: { limit: 50 } })]);
      const rows = cases.items.map(mediationRow);
      return { aid: aid.items.map(aidRow), cases: [...rows.filter((r) => r.action), ...rows.filter((r) => !r.action)] };
    });
  },
  openAid(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.legalAid(String(e.currentTarget.dataset.id))));
  },
  openCase(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.mediationCase(String(e.currentTarget.dataset.id))));
  },
  applyAid() {
    go(navigateUrl(links.legalAidApply()));
  },
  applyMediation() {
    go(navigateUrl(links.mediationApply()));
  },
});
