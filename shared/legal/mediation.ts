import * as z from 'zod';

import type { SealedValue } from '../pii/crypto';
import { isoDateTime, ulidId } from '../schemas/common';

/**
 * 人民调解 case files under the 人民调解法: the application, the parties and their consent to
 * mediate (第十七条: no mediation against a party's refusal), the mediators, a record of each
 * session (笔录), and the outcome — an agreement (协议书, 第二十九条: the parties, the facts and the
 * dispute, what each undertakes, how and by when), confirmed by every party, or a record that it
 * failed and where the parties were referred. Settled within 30 days of acceptance; the parties
 * may apply together for 司法确认 within 30 days of the agreement (第三十三条); follow-up visits (回访).
 */
export const mediationCategories = ['neighbour', 'family', 'land_housing', 'labour', 'debt', 'property', 'compensation', 'other'] as const;
export type MediationCategory = (typeof mediationCategories)[number];
export const mediationCategoryNames: Record<MediationCategory, string> = {
  neighbour: '邻里纠纷',
  family: '婚姻家庭纠纷',
  land_housing: '土地房屋纠纷',
  labour: '劳动报酬纠纷',
  debt: '借贷纠纷',
  property: '物业纠纷',
  compensation: '损害赔偿纠纷',
  other: '其他纠纷',
};

export const mediationStatuses = ['applied', 'accepted', 'agreed', 'settled', 'failed', 'declined'] as const;
export type MediationStatus = (typeof mediationStatuses)[number];
export const mediationStatusNames: Record<MediationStatus, string> = {
  applied: '待受理',
  accepted: '调解中',
  agreed: '协议待各方确认',
  settled: '调解成功',
  failed: '调解未成功',
  declined: '不予受理',
};

export const performanceLevels = ['performed', 'partly', 'not_performed'] as const;
export type PerformanceLevel = (typeof performanceLevels)[number];
export const performanceNames: Record<PerformanceLevel, string> = { performed: '已履行', partly: '部分履行', not_performed: '未履行' };

/** Days from acceptance to settle; days after the agreement to apply for 司法确认, and when to remind. */
export const mediationDays = { settle: 30, judicialConfirmation: 30, confirmationReminderAfter: 20 } as const;
export const judicialConfirmationHow = '调解协议具有法律约束力。双方可以自协议生效之日起 30 日内共同向人民法院申请司法确认，确认后一方不履行的，另一方可以申请强制执行。';

export interface Party {
  partyId: string;
  role: 'applicant' | 'respondent';
  name: string;
  /** The party's account, when they use the app (found by phone): they read the case and confirm in it. */
  userId?: string;
  phone?: SealedValue;
  phoneMasked?: string;
  consentAt?: string;
  /** Given in the app by the party, or recorded by an officer (in person, by phone). */
  consentBy?: 'self' | 'officer';
  confirmedAt?: string;
  confirmedBy?: 'self' | 'officer';
}

export interface Mediator {
  name: string;
  /** A mediator who uses the console reads the case. */
  userId?: string;
}

export interface MediationSession {
  n: number;
  at: string;
  place: string;
  attendees: string;
  record: string;
  recordedBy: string;
}

export interface Obligation {
  partyId: string;
  what: string;
  how: string;
  /** The last day (Beijing) to perform it. */
  by: string;
}

export interface Agreement {
  facts: string;
  dispute: string;
  obligations: Obligation[];
  /** The private PDF (agreements/<caseId>/v<n>.pdf) and its version: a redrafted agreement is a new file. */
  pdfKey: string;
  draft: number;
  generatedAt: string;
}

export interface FollowUp {
  at: string;
  by: string;
  performed: PerformanceLevel;
  note: string;
}

export interface MediationCase {
  caseId: string;
  /** 调解案件编号 as printed: 新调〔2026〕第 01KC… 号 is unreadable, so a short one: 2026-<last 6 of the ULID>. */
  caseNo: string;
  status: MediationStatus;
  category: MediationCategory;
  facts: string;
  claim: string;
  applicantId: string;
  parties: Party[];
  mediators: Mediator[];
  sessions: MediationSession[];
  followUps: FollowUp[];
  createdAt: string;
  acceptedAt?: string;
  /** Accepted + 30 days: settled or failed by then, or escalated. */
  dueBy?: string;
  escalatedAt?: string;
  declinedReason?: string;
  agreement?: Agreement;
  settledAt?: string;
  confirmationRemindedAt?: string;
  failedAt?: string;
  failure?: { reason: string; referredTo: string };
  /** The first follow-up that found the agreement performed (counted once). */
  performedAt?: string;
  fromSlotId?: string;
  version: number;
}

const phone = z.string().trim().regex(/^1\d{10}$/, { error: '手机号码应为 11 位数字' });
const text = (min: number, max: number, what: string) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(min, { error: `请填写${what}（至少 ${min} 个字）` })
    .max(max, { error: `最多 ${max} 字` });
const beijingDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为 2026-12-31' });

export const mediationInputSchema = z.object({
  category: z.enum(mediationCategories, { error: '请选择纠纷的类别' }),
  facts: text(20, 2000, '纠纷的经过'),
  claim: text(5, 500, '您希望怎样解决'),
  respondents: z
    .array(z.object({ name: text(2, 20, '对方的姓名'), phone: phone.optional() }), { error: '请填写对方当事人' })
    .min(1, { error: '请至少填写一位对方当事人' })
    .max(5, { error: '最多 5 位对方当事人' }),
  fromSlotId: ulidId('咨询时段编号无效').optional(),
});
export type MediationInput = z.infer<typeof mediationInputSchema>;

/** A party acting for themselves names nobody; an officer recording names the party. */
export const partyActSchema = z.object({ partyId: z.string().regex(/^[AB]\d$/, { error: '当事人编号无效' }).optional() });

export const acceptanceSchema = z.discriminatedUnion(
  'accept',
  [
    z.object({
      accept: z.literal(true),
      mediators: z
        .array(z.object({ name: text(2, 20, '调解员姓名'), userId: z.string().min(1).max(64).optional() }), { error: '请指定调解员' })
        .min(1, { error: '请至少指定一名调解员' })
        .max(3, { error: '最多 3 名调解员' }),
    }),
    z.object({ accept: z.literal(false), reason: text(10, 500, '不予受理的理由') }),
  ],
  { error: '请选择受理或不予受理' },
);
export type Acceptance = z.infer<typeof acceptanceSchema>;

export const sessionInputSchema = z.object({
  at: isoDateTime,
  place: text(2, 60, '调解地点'),
  attendees: text(2, 200, '到场人员'),
  record: text(20, 5000, '调解笔录'),
});
export type SessionInput = z.infer<typeof sessionInputSchema>;

export const agreementInputSchema = z.object({
  facts: text(20, 2000, '纠纷的主要事实'),
  dispute: text(5, 1000, '争议事项及各方责任'),
  obligations: z
    .array(z.object({ partyId: z.string().regex(/^[AB]\d$/, { error: '请选择由哪一方履行' }), what: text(4, 500, '约定的义务'), how: text(2, 200, '履行方式'), by: beijingDay }), {
      error: '请填写协议内容',
    })
    .min(1, { error: '请至少写一项约定的义务' })
    .max(10, { error: '最多 10 项' }),
});
export type AgreementInput = z.infer<typeof agreementInputSchema>;

export const failureInputSchema = z.object({ reason: text(10, 1000, '调解不成的原因'), referredTo: text(2, 200, '告知当事人的其他途径（如向人民法院起诉）') });
export type FailureInput = z.infer<typeof failureInputSchema>;

export const followUpInputSchema = z.object({
  performed: z.enum(performanceLevels, { error: '请选择协议的履行情况' }),
  note: text(5, 1000, '回访情况'),
});
export type FollowUpInput = z.infer<typeof followUpInputSchema>;

const partyView = z.object({
  partyId: z.string(),
  role: z.enum(['applicant', 'respondent']),
  roleName: z.string(),
  name: z.string(),
  phoneMasked: z.string().nullable(),
  usesApp: z.boolean(),
  consented: z.boolean(),
  consentText: z.string(),
  confirmed: z.boolean(),
  isMe: z.boolean(),
});

export const mediationViewSchema = z.object({
  caseId: z.string(),
  caseNo: z.string(),
  status: z.enum(mediationStatuses),
  statusName: z.string(),
  category: z.enum(mediationCategories),
  categoryName: z.string(),
  facts: z.string(),
  claim: z.string(),
  parties: partyView.array(),
  mediators: z.array(z.string()),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
  dueBy: z.string().nullable(),
  dueText: z.string().nullable(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  declinedReason: z.string().nullable(),
  sessions: z.array(z.object({ n: z.number(), at: z.string(), when: z.string(), place: z.string(), attendees: z.string(), record: z.string() })),
  agreement: z
    .object({
      facts: z.string(),
      dispute: z.string(),
      obligations: z.array(z.object({ partyId: z.string(), partyName: z.string(), what: z.string(), how: z.string(), by: z.string() })),
      draft: z.number(),
      generatedAt: z.string(),
      /** A short-lived link to the PDF (reads of one case only). */
      pdfUrl: z.string().optional(),
      pdfUrlExpiresAt: z.string().optional(),
    })
    .nullable(),
  settledAt: z.string().nullable(),
  judicialConfirmation: z.string().nullable(),
  failure: z.object({ reason: z.string(), referredTo: z.string() }).nullable(),
  followUps: z.array(z.object({ at: z.string(), performed: z.enum(performanceLevels), performedName: z.string(), note: z.string() })),
  /** What the caller may do now (a party: consent, confirm; the centre: the next step). */
  canConsent: z.boolean(),
  canConfirm: z.boolean(),
});
export type MediationView = z.infer<typeof mediationViewSchema>;

/** A case in a list (a party's own, the centre's of a status): enough to choose it, nothing of its file. */
export const mediationSummarySchema = z.object({
  caseId: z.string(),
  caseNo: z.string(),
  status: z.enum(mediationStatuses),
  statusName: z.string(),
  categoryName: z.string(),
  parties: z.string().meta({ description: 'The parties as the list reads them: 张三（申请人）、李四' }),
  createdAt: z.string(),
  dueBy: z.string().nullable(),
  overdue: z.boolean(),
  /** What the reader is asked to do: consent to mediation, confirm the agreement. */
  action: z.enum(['consent', 'confirm']).nullable(),
  actionName: z.string().nullable(),
});
export type MediationSummary = z.infer<typeof mediationSummarySchema>;
