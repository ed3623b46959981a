/**
 * What every figure means, shown on hover (and to screen readers) beside the figure, and listed in
 * docs/console.md. "本月" is the cohort of requests submitted this month (Beijing time); "今天" the
 * Beijing day; "当前" the state now.
 */
export const definitions = {
  receivedToday: '今天（北京时间）提交并已分派的诉求数。',
  resolvedToday: '今天办结的诉求数（任何办结结果）。',
  open: '当前待受理或办理中的诉求数（不含已办结待居民确认的）。',
  overdueOpen: '当前待受理或办理中、且曾超过受理或办结时限的诉求数（含已自动上报的）。计入“办理中”。',
  receivedMonth: '本月提交并已分派的诉求数；其中由 12345 热线和合作方系统（Open311 接口）转来的分别列出。',
  onTimeRate: '按时结案率 = 按时办结数 ÷ 应办结数。应办结 = 按时办结 + 曾逾期（已逾期办结或仍逾期未办）。统计本月提交的诉求。',
  medianResolve: '本月提交的诉求从提交到办结所用时间的中位数（按小时分档：4/8/24/48/72/168…，显示中位数所在档的上限）。',
  ratingAverage: '本月提交、居民已评价的诉求的平均星级（1–5星）。',
  ratingHighShare: '评价为4星或5星的比例。',
  settledInGrid: '不出网格率 = 在网格一级办结数 ÷ 网格、社区、街道三级办结总数（法律援助另计）。',
  settledInCommunity: '不出社区率 = 在网格和社区两级办结数 ÷ 三级办结总数（法律援助另计）。',
  escalated: '本月提交的诉求被上报（人工或超时自动）的次数。',
  mediation: '调处成功率 = 达成调解协议的矛盾纠纷调解案件数 ÷ 本月受理的调解案件数。',
  households: '当前在册户数，按红黄绿分类（红：每天走访，黄：每周，绿：每月）。',
  visitsToday: '今天到期的走访任务中已完成的数量 / 今天到期的总数。',
  visitsMonth: '本月生成的走访任务中已完成的数量 / 总数。',
  volunteers: '全街道本月志愿活动：举办场次、参与人次（签到签退一次算一人次）、服务时长（小时）。',
  jobs: '全街道本月：新发布岗位的招聘人数、收到的求职申请数、录用人数。',
  legal: '公共法律服务中心本月（按咨询时段所在月份）：值班律师咨询的预约人次、已咨询人次、未到人次，以及咨询后转法律援助申请、转人民调解的件数。只有法律服务中心能看到具体预约。',
  legalAid: '法律援助申请本月：收到的件数（其中花名册登记为低保、特困而免予核查经济困难的件数），作出给予或不予法律援助决定的件数，从收到到决定的平均工作日（不计周末和法定节假日，法定期限 7 个工作日），以及结案件数。',
  legalMediation: '人民调解本月：受理、调解成功（各方确认协议）、调解不成的件数；调解成功率 = 调解成功 ÷（调解成功 + 调解不成）；超过 30 日未调结的件数；回访发现协议已履行的件数。',
  visitCompletion: '走访完成率 = 本月完成的走访 ÷ 本月生成的走访任务。',
} as const;

export type DefinitionKey = keyof typeof definitions;
