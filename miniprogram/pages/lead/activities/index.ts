import { activityRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getActivities, getMe } from '../../../services/routes';
import { go, load, reloadOnReturnHooks, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

/** The lead's team activities with sign-ups; each opens the activity with its check-in code. */
Page({
  ...reloadOnReturnHooks,
  data: { items: [] as ReturnType<typeof activityRow>[], done: false, error: null as string | null, loading: false, loadError: '', rootClass: 'normal' },
  async onLoad() {
    await load(this, async () => {
      const me = await http.call(getMe);
      if (!me.teamId) throw new Error('您还不是志愿队伍负责人，请联系管理员');
      await startList(this, (_f: object, cursor) => rows(http.call(getActivities, { query: { teamId: me.teamId, cursor } }), activityRow), {});
      return {};
    });
  },
  create() {
    go('/pages/lead/activity-form/index');
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.activity(String(e.currentTarget.dataset.id))));
  },
});
