import * as z from 'zod';

import { isoDateTime } from '../schemas/common';

/**
 * The request-type catalogue, in the spirit of Open311 service definitions: what a resident can
 * ask for, the fields each type needs, who handles it, how fast (SLA), and whether it is private.
 * Static on purpose: a change is a reviewed code change, and every function reads it with no
 * round trip.
 */
export const fieldDatatypes = ['string', 'text', 'number', 'datetime', 'singlevaluelist', 'multivaluelist', 'boolean'] as const;

export const fieldSchema = z.object({
  code: z.string(),
  label: z.string(),
  datatype: z.enum(fieldDatatypes),
  required: z.boolean(),
  order: z.number().int(),
  description: z.string().optional(),
  choices: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
});
export type FieldDefinition = z.infer<typeof fieldSchema>;

export const handlerKinds = ['grid_worker', 'legal_officer'] as const;

export const requestTypeSchema = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  group: z.string(),
  fields: z.array(fieldSchema),
  /** Who is assigned: the grid's worker (mediator for disputes), or a legal officer (the grid worker is informed). */
  handler: z.enum(handlerKinds),
  informGridWorker: z.boolean(),
  sla: z.object({ acceptMinutes: z.number().int(), resolveHours: z.number().int() }),
  /** Private requests are readable only by the requester and those handling them; each read is audited. */
  private: z.boolean(),
  mediation: z.boolean(),
});
export type RequestType = z.infer<typeof requestTypeSchema>;

const choice = (key: string, name: string) => ({ key, name });

export const requestTypes: RequestType[] = [
  {
    code: 'legal_aid',
    name: '法律援助',
    description: '工资拖欠、土地承包、婚姻家庭、工伤赔偿等法律问题，由公共法律服务中心律师或法律工作者免费提供咨询与援助。',
    group: '公共法律服务',
    handler: 'legal_officer',
    informGridWorker: true,
    sla: { acceptMinutes: 24 * 60, resolveHours: 15 * 24 },
    private: true,
    mediation: false,
    fields: [
      {
        code: 'matter',
        label: '事项类别',
        datatype: 'singlevaluelist',
        required: true,
        order: 1,
        choices: [choice('wage_arrears', '工资拖欠'), choice('land_contract', '土地承包与合同'), choice('marriage_family', '婚姻家庭'), choice('injury', '工伤与人身损害'), choice('other', '其他')],
      },
      { code: 'amount', label: '涉及金额（元）', datatype: 'number', required: false, order: 2 },
      { code: 'happenedAt', label: '发生时间', datatype: 'datetime', required: false, order: 3 },
    ],
  },
  {
    code: 'dispute_mediation',
    name: '矛盾纠纷调解',
    description: '邻里、家庭、土地、债务等矛盾纠纷，由人民调解员调解，30 天内办结，全程跟踪到结果。',
    group: '人民调解',
    handler: 'grid_worker',
    informGridWorker: false,
    sla: { acceptMinutes: 12 * 60, resolveHours: 30 * 24 },
    private: true,
    mediation: true,
    fields: [
      {
        code: 'disputeKind',
        label: '纠纷类型',
        datatype: 'singlevaluelist',
        required: true,
        order: 1,
        choices: [choice('neighbours', '邻里纠纷'), choice('family', '家庭纠纷'), choice('land', '土地纠纷'), choice('debt', '债务纠纷')],
      },
      { code: 'otherParty', label: '对方当事人', datatype: 'string', required: true, order: 2 },
    ],
  },
  {
    code: 'livelihood',
    name: '民生诉求',
    description: '用水、用电、房屋维修、环境卫生等生活问题，网格员受理并协调解决。',
    group: '民生服务',
    handler: 'grid_worker',
    informGridWorker: false,
    sla: { acceptMinutes: 2 * 60, resolveHours: 72 },
    private: false,
    mediation: false,
    fields: [
      {
        code: 'category',
        label: '问题类别',
        datatype: 'singlevaluelist',
        required: true,
        order: 1,
        choices: [choice('water', '用水'), choice('power', '用电'), choice('housing_repair', '房屋维修'), choice('environment', '环境卫生')],
      },
      { code: 'location', label: '具体位置（楼栋/单元/门牌）', datatype: 'string', required: true, order: 2 },
      { code: 'urgent', label: '是否紧急（如漏水、断电）', datatype: 'boolean', required: false, order: 3 },
    ],
  },
  {
    code: 'employment_help',
    name: '就业帮扶',
    description: '找工作、技能培训、公益性岗位申请等就业问题，网格员对接就业服务。',
    group: '就业服务',
    handler: 'grid_worker',
    informGridWorker: false,
    sla: { acceptMinutes: 24 * 60, resolveHours: 7 * 24 },
    private: false,
    mediation: false,
    fields: [
      {
        code: 'need',
        label: '需要的帮助',
        datatype: 'multivaluelist',
        required: true,
        order: 1,
        choices: [choice('job', '推荐工作'), choice('training', '技能培训'), choice('welfare_post', '公益性岗位'), choice('transfer', '外出务工')],
      },
      { code: 'skills', label: '会做什么', datatype: 'text', required: false, order: 2 },
    ],
  },
  {
    code: 'other',
    name: '其他诉求',
    description: '以上没有列出的其他事情，网格员先受理再分办。',
    group: '其他',
    handler: 'grid_worker',
    informGridWorker: false,
    sla: { acceptMinutes: 24 * 60, resolveHours: 72 },
    private: false,
    mediation: false,
    fields: [],
  },
];

const byCode = new Map(requestTypes.map((t) => [t.code, t]));

export function requestType(code: string): RequestType | undefined {
  return byCode.get(code);
}

/** The zod schema of one type's own fields, built from its definition. */
export function fieldsSchemaOf(type: RequestType): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const f of type.fields) {
    let s: z.ZodType;
    const keys = (f.choices ?? []).map((c) => c.key) as [string, ...string[]];
    switch (f.datatype) {
      case 'string':
        s = z.string().trim().min(1).max(100);
        break;
      case 'text':
        s = z.string().trim().min(1).max(1000);
        break;
      case 'number':
        s = z.number().finite().min(0).max(1e9);
        break;
      case 'datetime':
        s = isoDateTime;
        break;
      case 'boolean':
        s = z.boolean();
        break;
      case 'singlevaluelist':
        s = z.enum(keys);
        break;
      case 'multivaluelist':
        s = z.array(z.enum(keys)).min(1).max(keys.length);
        break;
    }
    shape[f.code] = f.required ? s : s.optional();
  }
  return z.strictObject(shape) as unknown as z.ZodType<Record<string, unknown>>;
}
