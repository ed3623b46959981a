import { aidRow, mediationRow } from '../../../logic/views';
import { links, navigateUrl } from '../../../services/links';
import { getLegalAidList, getLegalFigures, getMediations } from '../../../services/routes';
import { filter,go, load, reloadOnReturnHooks, startList } from '../../../services/ui';
import { http } from '../../../services/wx';

type Row = { id: string; kind: 'aid' | 'case'; title: string; statusName: string; tone: string; who: string; line: string };
/** The desk's lists: what waits for a decision first, then what is under way. */
const tabs = [
  { key: 'aid:submitted', name: '援助待审查' },
  { key: 'aid:accepted', name: '援助办理中' },
  { key: 'case:applied', name: '调解待受理' },
  { key: 'case:accepted', name: '调解中' },
  { key: 'case:agreed', name: '协议待确认' },
  { key: 'case:settled', name: '调解成功' },
] as const;

async function fetchRows(f: { tab: string }, cursor: string | undefined): Promise<{ items: Row[]; nextCursor: string | null }> {
  const [kind, status] = f.tab.split(':') as ['aid' | 'case', string];
  if (kind === 'aid') {
    const page = await http.call(getLegalAidList, { query: { status: status as 'submitted', ...(cursor ? { cursor } : {}) } });
    return { items: page.items.map(aidRow).map((r) => ({ id: r.id, kind, title: r.title, statusName: r.statusName, tone: r.tone, who: r.who, line: r.line })), nextCursor: page.nextCursor };
  }
  const page = await http.call(getMediations, { query: { status: status as 'applied', ...(cursor ? { cursor } : {}) } });
  return { items: page.items.map(mediationRow).map((r) => ({ id: r.id, kind, title: r.title, statusName: r.statusName, tone: r.tone, who: r.parties, line: r.line })), nextCursor: page.nextCursor };
}

/** 援助与调解 (the centre's officer): the month's figures, applications to decide by deadline, and the mediation cases by stage. */
Page({
  ...reloadOnReturnHooks,
  data: { tabs, tab: 'aid:submitted', items: [] as Row[], month: '', loading: false, done: false, error: null as string | null, loadError: '', rootClass: 'normal' },
  async onLoad() {
    await Promise.all([
      load(this, async () => {
        const f = await http.call(getLegalFigures, { query: {} });
        const rate = f.mediation.successRate === null ? '' : `，调解成功率 ${f.mediation.successRate}%`;
        const days = f.aid.averageDecisionDays === null ? '' : f.aid.averageDecisionDays === 0 ? '，均在收到当天作出决定' : `，平均 ${f.aid.averageDecisionDays} 个工作日作出决定`;
        return { month: `本月法律援助申请 ${f.aid.received} 件，给予 ${f.aid.accepted}、不予 ${f.aid.refused}${days}；调解受理 ${f.mediation.accepted} 件，成功 ${f.mediation.settled}、不成 ${f.mediation.failed}${rate}` };
      }),
      startList(this, fetchRows, { tab: this.data.tab }),
    ]);
  },
  onTab(e: WechatMiniprogram.TouchEvent) {
    const tab = String(e.currentTarget.dataset.key);
    this.setData({ tab });
    return filter(this, { tab });
  },
  open(e: WechatMiniprogram.TouchEvent) {
    const { id, kind } = e.currentTarget.dataset as { id: string; kind: string };
    go(navigateUrl(kind === 'aid' ? links.legalAid(id) : links.mediationCase(id)));
  },
});
