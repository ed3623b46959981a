import { beijingClock, beijingDate } from '../time';
import type { Cell } from './csv';
import type { gridTiles, openRequests } from './figures';

/**
 * The console's tables as rows of text, the same for a panel's CSV (made in the browser) and a
 * large export (made by the exports consumer): one place decides the columns and their Chinese
 * headers. Times in Beijing time; shares as percentages.
 */
export type BoardItem = Awaited<ReturnType<typeof openRequests>>['items'][number];
export type GridTile = Awaited<ReturnType<typeof gridTiles>>['communities'][number]['grids'][number];

const when = (iso: string | null) => (iso ? `${beijingDate(iso)} ${beijingClock(iso)}` : '');
export const percentText = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);

export interface Table<T> {
  headers: readonly string[];
  row(item: T): Cell[];
}

export const requestTable: Table<BoardItem> = {
  headers: ['编号', '类型', '状态', '层级', '网格', '承办人', '提交时间', '时限', '逾期', '上报次数'],
  row: (r) => [r.requestId, r.typeName, r.statusName, r.levelName, r.gridName, r.assigneeName, when(r.createdAt), when(r.dueAt), r.overdue ? '是' : '否', r.escalations],
};

export const gridTable: Table<GridTile & { communityName: string }> = {
  headers: ['社区', '网格编号', '网格', '红色户', '黄色户', '绿色户', '办理中诉求', '逾期诉求', '今日已走访', '今日应走访', '本月已走访', '本月应走访', '走访完成率'],
  row: (g) => [g.communityName, g.gridId, g.name, g.red, g.yellow, g.green, g.open, g.overdueOpen, g.visitsDoneToday, g.visitsDueToday, g.visitsDoneMonth, g.visitsDueMonth, percentText(g.visitCompletion)],
};

/** A household as the console shows it: numbers masked by the API's view, never in the clear. */
export interface HouseholdRow {
  householdId: string;
  gridId: string;
  address: string;
  residentGroup: string;
  colourName: string;
  colourReason: string;
  tagNames: string[];
  members: { name: string; relation: string; phoneMasked: string | null }[];
  pendingColour: { reason: string } | null;
}

export const householdTable: Table<HouseholdRow> = {
  headers: ['户号', '网格', '地址', '安置组', '颜色', '颜色原因', '标签', '人数', '成员（号码已隐藏）', '待审调整'],
  row: (h) => [
    h.householdId,
    h.gridId,
    h.address,
    h.residentGroup,
    h.colourName,
    h.colourReason,
    h.tagNames.join('、'),
    h.members.length,
    h.members.map((m) => `${m.name}（${m.relation}${m.phoneMasked ? ' ' + m.phoneMasked : ''}）`).join('；'),
    h.pendingColour ? h.pendingColour.reason : '',
  ],
};
