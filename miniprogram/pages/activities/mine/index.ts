import { hoursText } from '../../../logic/format';
import { signupRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getMySignups, getMyVolunteerHours } from '../../../services/routes';
import { go, listPageHooks, load, rows, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

/** My volunteering: total service hours (with the certificate text) and my sign-ups. */
Page({
  ...listPageHooks,
  data: { hours: '', activities: 0, certificate: '', items: [] as ReturnType<typeof signupRow>[], done: false, error: null as string | null, loading: false, loadError: '', rootClass: 'normal' },
  async onLoad() {
    await Promise.all([
      load(this, async () => {
        const h = await http.call(getMyVolunteerHours);
        // A certificate for no service at all would be a certificate of nothing.
        return { hours: hoursText(h.totalMinutes), activities: h.activities, certificate: h.totalMinutes > 0 ? h.certificate : '' };
      }),
      startList(this, (_f: object, cursor) => rows(http.call(getMySignups, { query: { cursor } }), signupRow), {}),
    ]);
  },
  open(e: WechatMiniprogram.TouchEvent) {
    go(navigateUrl(links.activity(String(e.currentTarget.dataset.id))));
  },
});
