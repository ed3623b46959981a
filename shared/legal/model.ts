import * as z from 'zod';

import { isoDateTime } from '../schemas/common';

/**
 * 法律咨询 with the duty lawyer (值班律师) of the sub-district's public legal service centre: the
 * centre's legal officers publish consultation slots (at the centre, or by phone); residents book
 * one with what it is about; after it the lawyer records the advice, and whether it became a
 * legal-aid application or a mediation case. Private like legal requests: a resident reads their
 * own, the centre's officers read all (every read of a booking audited); others see figures only.
 */
export const consultationModes = ['in_person', 'phone'] as const;
export type ConsultationMode = (typeof consultationModes)[number];
export const consultationModeNames: Record<ConsultationMode, string> = { in_person: '到中心面谈', phone: '电话咨询' };

export const consultationCategories = ['family', 'labour', 'debt', 'neighbour', 'land_housing', 'other'] as const;
export type ConsultationCategory = (typeof consultationCategories)[number];
export const consultationCategoryNames: Record<ConsultationCategory, string> = {
  family: '婚姻家庭',
  labour: '劳动争议（欠薪、工伤）',
  debt: '借贷纠纷',
  neighbour: '邻里纠纷',
  land_housing: '土地房屋',
  other: '其他',
};

/** What the consultation became: advice only, a legal-aid application, or a mediation case. */
export const consultationOutcomes = ['advice', 'legal_aid', 'mediation'] as const;
export type ConsultationOutcome = (typeof consultationOutcomes)[number];
export const consultationOutcomeNames: Record<ConsultationOutcome, string> = { advice: '已解答', legal_aid: '转法律援助申请', mediation: '转人民调解' };

export const bookingStatuses = ['booked', 'cancelled', 'held', 'no_show'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];
export const bookingStatusNames: Record<BookingStatus, string> = { booked: '已预约', cancelled: '已取消', held: '已咨询', no_show: '未到' };

export const slotInputSchema = z
  .object({
    startAt: isoDateTime,
    endAt: isoDateTime,
    mode: z.enum(consultationModes, { error: '请选择面谈或电话咨询' }),
    place: z.string().trim().min(2, { error: '请填写地点（电话咨询填写“电话”）' }).max(60),
    lawyerName: z.string().trim().min(2, { error: '请填写值班律师姓名' }).max(20),
    capacity: z.number().int().min(1, { error: '至少 1 人' }).max(20, { error: '一个时段最多 20 人' }),
  })
  .refine((s) => Date.parse(s.endAt) > Date.parse(s.startAt), { error: '结束时间要晚于开始时间', path: ['endAt'] })
  .refine((s) => Date.parse(s.endAt) - Date.parse(s.startAt) <= 4 * 3600_000, { error: '一个时段不超过 4 小时', path: ['endAt'] });
export type SlotInput = z.infer<typeof slotInputSchema>;

export interface Slot extends SlotInput {
  slotId: string;
  status: 'open' | 'cancelled';
  /** Places taken; never above capacity (conditional writes). */
  booked: number;
  createdBy: string;
  createdAt: string;
}

export const bookingInputSchema = z.object({
  category: z.enum(consultationCategories, { error: '请选择咨询的事项' }),
  description: z.string().trim().min(5, { error: '请简单说说想咨询什么（至少 5 个字）' }).max(300, { error: '最多 300 字，详细情况可以当面说' }),
});
export type BookingInput = z.infer<typeof bookingInputSchema>;

/** What a booking keeps of its slot (a slot is not edited): the resident's list reads no slot. */
export type SlotSummary = Pick<Slot, 'slotId' | 'startAt' | 'endAt' | 'mode' | 'place' | 'lawyerName'>;

export interface Booking extends BookingInput {
  slotId: string;
  userId: string;
  /** The resident's name and masked number when booking: the lawyer's list reads no profile. */
  name: string;
  phoneMasked?: string;
  status: BookingStatus;
  /** The slot's start, copied: the resident's list is ordered by it. */
  startAt: string;
  slot: SlotSummary;
  createdAt: string;
  cancelledAt?: string;
  remindedAt?: string;
  recordedAt?: string;
  recordedBy?: string;
  advice?: string;
  outcome?: ConsultationOutcome;
  /** The legal-aid application or mediation case it became (its id; which one the outcome says). */
  linkedRequestId?: string;
}

export const recordInputSchema = z
  .object({
    attended: z.boolean(),
    advice: z.string().trim().max(1000, { error: '最多 1000 字' }).optional(),
    outcome: z.enum(consultationOutcomes, { error: '请选择咨询结果' }).optional(),
  })
  .refine((r) => !r.attended || (r.advice && r.advice.length >= 5), { error: '请记录给出的法律意见（至少 5 个字）', path: ['advice'] })
  .refine((r) => !r.attended || r.outcome, { error: '请选择咨询结果', path: ['outcome'] });
export type RecordInput = z.infer<typeof recordInputSchema>;

export const slotViewSchema = z.object({
  slotId: z.string(),
  startAt: z.string(),
  endAt: z.string(),
  when: z.string().meta({ description: 'Beijing time, as residents read it: 12月3日（周四）09:00–10:00' }),
  mode: z.enum(consultationModes),
  modeName: z.string(),
  place: z.string(),
  lawyerName: z.string(),
  capacity: z.number(),
  booked: z.number(),
  left: z.number(),
  status: z.enum(['open', 'cancelled']),
});

export const slotSummarySchema = slotViewSchema.pick({ slotId: true, startAt: true, endAt: true, when: true, mode: true, modeName: true, place: true, lawyerName: true });

export const bookingViewSchema = z.object({
  slotId: z.string(),
  status: z.enum(bookingStatuses),
  statusName: z.string(),
  category: z.enum(consultationCategories),
  categoryName: z.string(),
  description: z.string(),
  startAt: z.string(),
  createdAt: z.string(),
  advice: z.string().nullable(),
  outcome: z.enum(consultationOutcomes).nullable(),
  outcomeName: z.string().nullable(),
  linkedRequestId: z.string().nullable(),
  canCancel: z.boolean(),
  slot: slotSummarySchema,
});
