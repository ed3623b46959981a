/**
 * The roster CSV's columns (docs/household-roster.md, sample in docs/household-roster.sample.csv):
 * one row per person, rows of a household share its household_id and its household columns. No
 * imports: the console names the columns of a fault with it without carrying the checker.
 */
export const rosterColumns = ['household_id', 'grid_id', 'address', 'resident_group', 'colour', 'colour_reason', 'name', 'relation', 'id_number', 'phone', 'birth_year', 'tags'] as const;
export type RosterColumn = (typeof rosterColumns)[number];

export const rosterColumnNames: Record<RosterColumn, string> = {
  household_id: '户编号',
  grid_id: '网格编号',
  address: '住址',
  resident_group: '居民小组',
  colour: '颜色',
  colour_reason: '颜色原因',
  name: '姓名',
  relation: '与户主关系',
  id_number: '身份证号码',
  phone: '手机号码',
  birth_year: '出生年份',
  tags: '标签',
};

/** "line 12.id_number" (where a fault is) as staff read it: "第 12 行 · 身份证号码". */
export function rosterPlace(field: string): string {
  const m = /^line (\d+|\?)(?:\.(\w+))?$/.exec(field);
  if (!m) return field;
  const line = m[1] === '?' ? '文件' : `第 ${m[1]} 行`;
  const column = m[2] ? (rosterColumnNames[m[2] as RosterColumn] ?? m[2]) : '';
  return column ? `${line} · ${column}` : line;
}
