import * as z from 'zod';

import type { PersonTag } from '../households/model';
import { photoKeyPattern } from '../photos/keys';
import type { SealedValue } from '../pii/crypto';
import { validIdNumber } from '../pii/id-number';
import { ulidId } from '../schemas/common';

/**
 * 法律援助申请 under the 法律援助法: what a resident asks help with, their situation and documents;
 * economic hardship needs no proof (免予核查) when the roster tags them 低保 or 特困; the centre
 * decides within 7 working days (give aid with an assigned lawyer, or refuse with the reason and
 * where to object), then follows the case to its end. Private: the applicant and the centre's
 * officers read it, every read audited.
 */
export const aidMatters = ['wages', 'work_injury', 'family_support', 'marriage', 'traffic', 'medical', 'personal_injury', 'other'] as const;
export type AidMatter = (typeof aidMatters)[number];
export const aidMatterNames: Record<AidMatter, string> = {
  wages: '追索劳动报酬（欠薪）',
  work_injury: '工伤赔偿',
  family_support: '赡养费、抚养费、扶养费',
  marriage: '婚姻家庭',
  traffic: '交通事故赔偿',
  medical: '医疗纠纷',
  personal_injury: '人身损害赔偿',
  other: '其他',
};

export const aidStatuses = ['submitted', 'accepted', 'refused', 'closed'] as const;
export type AidStatus = (typeof aidStatuses)[number];
export const aidStatusNames: Record<AidStatus, string> = { submitted: '待审查', accepted: '已给予法律援助', refused: '不予法律援助', closed: '已结案' };

export const aidResults = ['supported', 'settled', 'mediated', 'not_supported', 'withdrawn', 'terminated'] as const;
export type AidResult = (typeof aidResults)[number];
export const aidResultNames: Record<AidResult, string> = {
  supported: '请求得到支持',
  settled: '和解结案',
  mediated: '调解结案',
  not_supported: '请求未获支持',
  withdrawn: '申请人撤回',
  terminated: '终止法律援助',
};

/** The law's 7 working days, and where a refusal may be objected to (法律援助法 第四十九条). */
export const aidDecisionWorkingDays = 7;
export const aidObjectionHow = '如对不予法律援助的决定有异议，可以向设立法律援助机构的司法行政部门（县司法局）提出，法律援助中心可以协助您办理。';

/** How economic hardship is established: by the roster (免予核查) or to be checked by the centre. */
export interface Hardship {
  basis: 'roster' | 'to_check';
  tag?: PersonTag;
  householdId?: string;
}

export const aidInputSchema = z.object({
  matter: z.enum(aidMatters, { error: '请选择申请援助的事项' }),
  idNumber: z
    .string({ error: '请填写身份证号码' })
    .trim()
    .toUpperCase()
    .refine(validIdNumber, { error: '身份证号码不正确（18 位，最后一位可能是 X）' }),
  situation: z.string({ error: '请说明事情经过' }).trim().min(20, { error: '请说明事情经过和您的困难（至少 20 个字）' }).max(2000, { error: '最多 2000 字' }),
  claim: z.string({ error: '请写明您的请求' }).trim().min(5, { error: '请写明您希望得到什么（至少 5 个字）' }).max(500, { error: '最多 500 字' }),
  opposingParty: z.string().trim().max(60, { error: '最多 60 字' }).optional(),
  photos: z.array(z.string().regex(photoKeyPattern, { error: '照片编号格式不正确' })).max(6, { error: '最多 6 张材料照片' }).default([]),
  /** The consultation this application comes from (the lawyer recorded 转法律援助申请). */
  fromSlotId: ulidId('咨询时段编号无效').optional(),
});
export type AidInput = z.infer<typeof aidInputSchema>;

export const aidDecisionSchema = z.discriminatedUnion(
  'decision',
  [
    z.object({
      decision: z.literal('accept'),
      lawyerName: z.string({ error: '请填写指派的援助律师' }).trim().min(2, { error: '请填写指派的援助律师' }).max(20),
      lawFirm: z.string({ error: '请填写律师事务所' }).trim().min(2, { error: '请填写律师事务所或法律服务所' }).max(40),
      lawyerPhone: z.string().trim().regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, { error: '电话号码格式不对' }).optional(),
    }),
    z.object({
      decision: z.literal('refuse'),
      reason: z.string({ error: '请写明不予援助的理由' }).trim().min(10, { error: '请写明不予援助的理由和依据（至少 10 个字）' }).max(500, { error: '最多 500 字' }),
    }),
  ],
  { error: '请选择给予或不予法律援助' },
);
export type AidDecision = z.infer<typeof aidDecisionSchema>;

export const aidClosureSchema = z.object({
  result: z.enum(aidResults, { error: '请选择结案结果' }),
  note: z.string({ error: '请简要记录结案情况' }).trim().min(5, { error: '请简要记录结案情况（至少 5 个字）' }).max(1000, { error: '最多 1000 字' }),
});
export type AidClosure = z.infer<typeof aidClosureSchema>;

export interface AidApplication {
  applicationId: string;
  applicantId: string;
  name: string;
  phoneMasked?: string;
  idNumber: SealedValue;
  idMasked: string;
  matter: AidMatter;
  situation: string;
  claim: string;
  opposingParty?: string;
  /** Attached photo keys (copied from the applicant's uploads). */
  photos: string[];
  hardship: Hardship;
  status: AidStatus;
  createdAt: string;
  /** The last day (Beijing) of the decision, 7 working days after receipt; `decideByEstimated` when past the holiday table. */
  decideBy: string;
  decideByEstimated: boolean;
  decidedAt?: string;
  decidedBy?: string;
  workingDaysToDecide?: number;
  lawyer?: { name: string; firm: string; phone?: string };
  refusalReason?: string;
  closedAt?: string;
  closedBy?: string;
  result?: AidResult;
  resultNote?: string;
  fromSlotId?: string;
  version: number;
}

export const aidViewSchema = z.object({
  applicationId: z.string(),
  status: z.enum(aidStatuses),
  statusName: z.string(),
  matter: z.enum(aidMatters),
  matterName: z.string(),
  name: z.string(),
  phoneMasked: z.string().nullable(),
  idMasked: z.string(),
  situation: z.string(),
  claim: z.string(),
  opposingParty: z.string().nullable(),
  hardship: z.object({ basis: z.enum(['roster', 'to_check']), text: z.string() }),
  createdAt: z.string(),
  decideBy: z.string(),
  decideByText: z.string().meta({ description: 'How the deadline reads: 12月9日（周三）前作出决定, with a note when estimated past the holiday table' }),
  overdue: z.boolean(),
  decidedAt: z.string().nullable(),
  workingDaysToDecide: z.number().nullable(),
  lawyer: z.object({ name: z.string(), firm: z.string(), phone: z.string().nullable() }).nullable(),
  refusalReason: z.string().nullable(),
  objectionHow: z.string().nullable(),
  closedAt: z.string().nullable(),
  result: z.enum(aidResults).nullable(),
  resultName: z.string().nullable(),
  resultNote: z.string().nullable(),
  photoCount: z.number(),
  /** Short-lived links to the documents (in a read of one application only). */
  photoUrls: z.array(z.string()).optional(),
});
export type AidView = z.infer<typeof aidViewSchema>;
