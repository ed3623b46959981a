import { addDays, beijingDate } from '../time';
import type { Booking, RecordInput, Slot } from './model';

/**
 * The consultations' decisions, pure (load → decide → commit, as requests and volunteering):
 * each takes what was read and the clock, and says what to write or why not.
 */

export type Refusal = { status: 404 | 409; code: string; message: string };

/** Whether a resident may book this slot now (the capacity itself is the conditional write's). */
export function bookingRefusal(slot: Slot | null, mine: Booking | null, now: Date): Refusal | null {
  if (!slot) return { status: 404, code: 'SLOT_NOT_FOUND', message: '没有找到这个咨询时段' };
  if (slot.status !== 'open') return { status: 409, code: 'SLOT_CANCELLED', message: '这个时段已取消，请选择其他时段' };
  if (Date.parse(slot.startAt) <= now.getTime()) return { status: 409, code: 'SLOT_STARTED', message: '这个时段已经开始，请选择其他时段' };
  if (mine && mine.status === 'booked') return { status: 409, code: 'ALREADY_BOOKED', message: '您已预约这个时段' };
  if (mine && mine.status !== 'cancelled') return { status: 409, code: 'ALREADY_CONSULTED', message: '您已参加过这个时段的咨询' };
  return null;
}

/** A booking may be given back until its slot starts. */
export function cancelRefusal(booking: Booking | null, now: Date): Refusal | null {
  if (!booking || booking.status === 'cancelled') return { status: 404, code: 'BOOKING_NOT_FOUND', message: '没有找到您的这个预约' };
  if (booking.status !== 'booked') return { status: 409, code: 'CONSULTATION_RECORDED', message: '这次咨询已经记录，不能取消' };
  if (Date.parse(booking.startAt) <= now.getTime()) return { status: 409, code: 'SLOT_STARTED', message: '咨询已经开始，不能取消；如不能前来，请致电法律服务中心' };
  return null;
}

/**
 * What the lawyer records: held (with the advice and what it became) or no-show. Only a booked
 * consultation, and only once its slot has begun (a no-show cannot be recorded in advance).
 */
export function decideRecord(booking: Booking | null, slot: Slot, input: RecordInput, now: Date): { refusal: Refusal } | { set: Partial<Booking>; counts: Record<string, number> } {
  if (!booking || booking.status === 'cancelled') return { refusal: { status: 404, code: 'BOOKING_NOT_FOUND', message: '没有找到这个预约' } };
  if (booking.status !== 'booked') return { refusal: { status: 409, code: 'CONSULTATION_RECORDED', message: '这次咨询已经记录过了' } };
  if (Date.parse(slot.startAt) > now.getTime()) return { refusal: { status: 409, code: 'SLOT_NOT_STARTED', message: '咨询时段还没开始，开始后再记录' } };
  const at = now.toISOString();
  if (!input.attended) return { set: { status: 'no_show', recordedAt: at }, counts: { noShow: 1 } };
  return {
    set: { status: 'held', recordedAt: at, advice: input.advice!, outcome: input.outcome! },
    counts: { held: 1, ...(input.outcome === 'legal_aid' ? { toLegalAid: 1 } : input.outcome === 'mediation' ? { toMediation: 1 } : {}) },
  };
}

/** The Beijing day whose consultations the evening's reminder is about: tomorrow's. */
export function reminderDay(now: Date): string {
  return addDays(beijingDate(now), 1);
}

/** A booking is reminded once, while still booked. */
export function needsReminder(b: Booking): boolean {
  return b.status === 'booked' && !b.remindedAt;
}
