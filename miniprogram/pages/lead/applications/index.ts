import { dateTime } from '../../../logic/format';
import type { Answer } from '../../../services/http';
import { getMe, getTeamApplications, postTeamApplicationDecision } from '../../../services/routes';
import { act, load, reloadOnReturnHooks, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

type Application = Answer<typeof getTeamApplications>['items'][number];

function applicationCard(a: Application) {
  return { userId: a.userId, name: a.name, when: dateTime(a.createdAt), availability: a.availability, skills: a.skills.join('、') || '未填写', note: a.note };
}

/** The lead's pending applications to join the team: 通过 grants the volunteer role; 不通过 needs a reason. */
Page({
  ...reloadOnReturnHooks,
  data: { teamId: '', items: [] as ReturnType<typeof applicationCard>[], declining: '', reason: '', busy: false, errors: {}, done: false, error: null as string | null, loading: false, loadError: '', rootClass: 'normal' },
  async onLoad() {
    await load(this, async () => {
      const me = await http.call(getMe);
      if (!me.teamId) throw new Error('您还不是志愿队伍负责人，请联系管理员');
      const teamId = me.teamId;
      await startList(this, async (_f: object, cursor) => {
        const page = await http.call(getTeamApplications, { params: { teamId }, query: { cursor } });
        return { items: page.items.map(applicationCard), nextCursor: page.nextCursor };
      }, {});
      return { teamId };
    });
  },
  async approve(e: WechatMiniprogram.TouchEvent) {
    await this.decide(String(e.currentTarget.dataset.id), { decision: 'approve' }, '已通过，已成为志愿者');
  },
  startDecline(e: WechatMiniprogram.TouchEvent) {
    this.setData({ declining: String(e.currentTarget.dataset.id), reason: '', errors: {} });
  },
  onReason(e: WechatMiniprogram.Input) {
    this.setData({ reason: e.detail.value });
  },
  async decline() {
    await this.decide(this.data.declining, { decision: 'decline', reason: this.data.reason }, '已告知申请人');
  },
  async decide(userId: string, body: { decision: 'approve' | 'decline'; reason?: string }, success: string) {
    const out = await act(this, () => http.call(postTeamApplicationDecision, { params: { teamId: this.data.teamId, userId }, body }), { success });
    if (out) this.setData({ declining: '', items: this.data.items.filter((a) => a.userId !== userId) });
  },
});
