import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';

import { writeAudit } from '../audit/audit';
import type { Principal } from '../auth/principal';
import { ddb } from '../aws';
import { config } from '../config';
import { queryPartition } from '../db/batch';
import { retryConflicts, type TransactItem, writeIf } from '../db/conditions';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import { buildUpdate } from '../db/update';
import { type AppError, ConflictError, NotFoundError, ValidationError } from '../errors';
import { notificationMessage } from '../notifications/notify';
import { flushOutbox, newOutboxEntry, type OutboxEntry, outboxPut } from '../queue/messages';
import { counterDelta, deltaPuts, foldCounterDeltas, monthOf } from '../stats/counters';
import { addDays, atBeijing, beijingClock, beijingText, beijingWeekdayName } from '../time';
import { getUser } from '../users/repository';
import {
  type Booking,
  type BookingInput,
  bookingStatusNames,
  consultationCategoryNames,
  consultationModeNames,
  consultationOutcomeNames,
  type RecordInput,
  type Slot,
  type SlotInput,
} from './model';
import { bookingRefusal, cancelRefusal, decideRecord, needsReminder, type Refusal, reminderDay } from './transitions';

/**
 * Consultations with the duty lawyer (法律咨询): slots, bookings within capacity, cancel and move,
 * the evening reminder, the lawyer's record. Every change of a booking and its slot is one
 * TransactWriteItems with the figures' delta: a slot never holds more than its capacity, and the
 * figures count every booking once.
 */
const table = () => config().TABLE_NAME;

/** 12月3日（周四）09:00–10:00 */
export function slotWhen(s: Pick<Slot, 'startAt' | 'endAt'>): string {
  const day = beijingText(s.startAt).split(' ')[0];
  return `${day}（${beijingWeekdayName(s.startAt)}）${beijingClock(s.startAt)}–${beijingClock(s.endAt)}`;
}

function slotView(s: Slot) {
  return {
    slotId: s.slotId,
    startAt: s.startAt,
    endAt: s.endAt,
    when: slotWhen(s),
    mode: s.mode,
    modeName: consultationModeNames[s.mode],
    place: s.place,
    lawyerName: s.lawyerName,
    capacity: s.capacity,
    booked: s.booked,
    left: Math.max(0, s.capacity - s.booked),
    status: s.status,
  };
}

function summaryView(s: Booking['slot']) {
  return { slotId: s.slotId, startAt: s.startAt, endAt: s.endAt, when: slotWhen(s), mode: s.mode, modeName: consultationModeNames[s.mode], place: s.place, lawyerName: s.lawyerName };
}

function bookingView(b: Booking, now: Date) {
  return {
    slotId: b.slotId,
    status: b.status,
    statusName: bookingStatusNames[b.status],
    category: b.category,
    categoryName: consultationCategoryNames[b.category],
    description: b.description,
    startAt: b.startAt,
    createdAt: b.createdAt,
    advice: b.advice ?? null,
    outcome: b.outcome ?? null,
    outcomeName: b.outcome ? consultationOutcomeNames[b.outcome] : null,
    linkedRequestId: b.linkedRequestId ?? null,
    canCancel: cancelRefusal(b, now) === null,
    slot: summaryView(b.slot),
  };
}

const refuse = (r: Refusal) => (r.status === 404 ? new NotFoundError(r.code, r.message) : new ConflictError(r.code, r.message));

/** The month's consultation figures (one row: the centre is one). */
function figures(at: string, adds: Record<string, number>) {
  return counterDelta([{ domain: 'LEGAL', period: monthOf(at), dimension: 'ALL', value: 'all', adds }]);
}

export async function createSlot(p: Principal, input: SlotInput, now = new Date()) {
  const slot: Slot = { ...input, startAt: new Date(input.startAt).toISOString(), endAt: new Date(input.endAt).toISOString(), slotId: ulid(now.getTime()), status: 'open', booked: 0, createdBy: p.userId, createdAt: now.toISOString() };
  if (Date.parse(slot.startAt) <= now.getTime()) throw new ValidationError([{ field: 'body.startAt', reason: 'past', message: '开始时间已过，请选择以后的时间' }]);
  await ddb().send(new PutCommand({ TableName: table(), Item: { ...keys.legalSlot(slot.slotId), ...keys.legalSlotFeed(slot.startAt, slot.slotId), type: 'LegalSlot', ...slot } }));
  return slotView(slot);
}

/** Open slots starting from `from` until before `to`, earliest first: one Query of the slots' feed. */
async function openSlotsBetween(from: Date, to: Date, limit?: number, cursor?: string) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byFeed',
      KeyConditionExpression: 'feedPk = :pk AND feedSk BETWEEN :from AND :to',
      FilterExpression: '#s = :open',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': keys.legalSlotFeedPartition, ':from': from.toISOString(), ':to': to.toISOString(), ':open': 'open' },
      ...(limit ? { Limit: limit } : {}),
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { slots: (out.Items ?? []) as Slot[], nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** Open slots from now for `days` days, earliest first (full ones too: "已约满" is an answer). */
export async function listSlots(now = new Date(), days = 14, limit = 50, cursor?: string) {
  const { slots, nextCursor } = await openSlotsBetween(now, new Date(now.getTime() + days * 86_400_000), limit, cursor);
  return { items: slots.map(slotView), nextCursor };
}

async function slotWithBookings(slotId: string): Promise<{ slot: Slot | null; bookings: Booking[] }> {
  const items = await queryPartition(keys.legalSlotPartition(slotId), { consistent: true });
  const slot = (items.find((i) => i.sk === 'META') as Slot | undefined) ?? null;
  return { slot, bookings: items.filter((i) => String(i.sk).startsWith(keys.legalBookingPrefix)) as unknown as Booking[] };
}

function bookingItem(b: Booking): Record<string, unknown> {
  return { ...keys.legalBooking(b.slotId, b.userId), ...keys.legalBookingByResident(b.userId, b.startAt, b.slotId), type: 'LegalBooking', ...b };
}

/** A place on the slot: `booked < capacity` on an open slot, else the whole transaction is refused. */
function takePlace(slotId: string): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: keys.legalSlot(slotId),
      UpdateExpression: 'SET booked = booked + :one',
      ConditionExpression: '#s = :open AND booked < #cap',
      ExpressionAttributeNames: { '#s': 'status', '#cap': 'capacity' },
      ExpressionAttributeValues: { ':one': 1, ':open': 'open' },
    },
  };
}

function givePlaceBack(slotId: string): TransactItem {
  return { Update: { TableName: table(), Key: keys.legalSlot(slotId), UpdateExpression: 'SET booked = booked - :one', ConditionExpression: 'booked > :zero', ExpressionAttributeValues: { ':one': 1, ':zero': 0 } } };
}

/** The booking written new, or over a cancelled one of the same person (booking again after cancelling). */
function putBooking(b: Booking): TransactItem {
  return {
    Put: { TableName: table(), Item: bookingItem(b), ConditionExpression: 'attribute_not_exists(pk) OR #s = :cancelled', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':cancelled': 'cancelled' } },
  };
}

function cancelBooking(b: Booking, at: string): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: keys.legalBooking(b.slotId, b.userId),
      UpdateExpression: 'SET #s = :cancelled, cancelledAt = :at',
      ConditionExpression: '#s = :booked',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':cancelled': 'cancelled', ':booked': 'booked', ':at': at },
    },
  };
}

/** Runs a booking transaction: false when a condition refused it (full meanwhile, booked twice at once). */
function commit(items: TransactItem[]): Promise<boolean> {
  return retryConflicts(() => writeIf(() => ddb().send(new TransactWriteCommand({ TransactItems: items }))));
}

/** Why a booking transaction was refused, read again after the fact. */
async function whyRefused(slotId: string, userId: string, now: Date): Promise<AppError> {
  const { slot, bookings } = await slotWithBookings(slotId);
  const refusal = bookingRefusal(slot, bookings.find((b) => b.userId === userId) ?? null, now);
  if (refusal) return refuse(refusal);
  return new ConflictError('SLOT_FULL', '这个时段已约满，请选择其他时段');
}

/** A booking of `who` (their name and masked number, kept for the lawyer's list). */
function newBooking(p: Principal, who: Pick<Booking, 'name' | 'phoneMasked'>, slot: Slot, input: BookingInput, now: Date): Booking {
  return {
    slotId: slot.slotId,
    userId: p.userId,
    name: who.name,
    ...(who.phoneMasked ? { phoneMasked: who.phoneMasked } : {}),
    status: 'booked',
    category: input.category,
    description: input.description,
    startAt: slot.startAt,
    slot: { slotId: slot.slotId, startAt: slot.startAt, endAt: slot.endAt, mode: slot.mode, place: slot.place, lawyerName: slot.lawyerName },
    createdAt: now.toISOString(),
  };
}

export async function book(p: Principal, slotId: string, input: BookingInput, now = new Date()) {
  const [{ slot, bookings }, person] = await Promise.all([slotWithBookings(slotId), getUser(p.userId)]);
  const refusal = bookingRefusal(slot, bookings.find((b) => b.userId === p.userId) ?? null, now);
  if (refusal) throw refuse(refusal);
  const b = newBooking(p, { name: person?.name ?? '居民', phoneMasked: person?.phoneMasked }, slot!, input, now);
  const delta = figures(slot!.startAt, { booked: 1 });
  if (!(await commit([takePlace(slotId), putBooking(b), ...deltaPuts(delta)]))) throw await whyRefused(slotId, p.userId, now);
  await foldCounterDeltas([delta]);
  return bookingView(b, now);
}

export async function cancel(p: Principal, slotId: string, now = new Date()) {
  const { slot, bookings } = await slotWithBookings(slotId);
  const mine = bookings.find((b) => b.userId === p.userId) ?? null;
  const refusal = cancelRefusal(mine, now);
  if (refusal || !slot) throw refuse(refusal ?? { status: 404, code: 'BOOKING_NOT_FOUND', message: '没有找到您的这个预约' });
  const delta = figures(slot.startAt, { cancelled: 1 });
  if (!(await commit([cancelBooking(mine!, now.toISOString()), givePlaceBack(slotId), ...deltaPuts(delta)]))) {
    throw new NotFoundError('BOOKING_NOT_FOUND', '没有找到您的这个预约');
  }
  await foldCounterDeltas([delta]);
  return bookingView({ ...mine!, status: 'cancelled', cancelledAt: now.toISOString() }, now);
}

/** 改约: the old place given back and the new one taken in one transaction — never both, never neither. */
export async function move(p: Principal, slotId: string, toSlotId: string, now = new Date()) {
  if (toSlotId === slotId) throw new ConflictError('SAME_SLOT', '这就是您现在预约的时段');
  const [from, to] = await Promise.all([slotWithBookings(slotId), slotWithBookings(toSlotId)]);
  const mine = from.bookings.find((b) => b.userId === p.userId) ?? null;
  const cancelNo = cancelRefusal(mine, now);
  if (cancelNo) throw refuse(cancelNo);
  const bookNo = bookingRefusal(to.slot, to.bookings.find((b) => b.userId === p.userId) ?? null, now);
  if (bookNo) throw refuse(bookNo);
  // The same person, about the same thing, on the new slot.
  const b = newBooking(p, mine!, to.slot!, mine!, now);
  const delta = counterDelta([
    { domain: 'LEGAL', period: monthOf(from.slot!.startAt), dimension: 'ALL', value: 'all', adds: { cancelled: 1 } },
    { domain: 'LEGAL', period: monthOf(to.slot!.startAt), dimension: 'ALL', value: 'all', adds: { booked: 1 } },
  ]);
  const ok = await commit([cancelBooking(mine!, now.toISOString()), givePlaceBack(slotId), takePlace(toSlotId), putBooking(b), ...deltaPuts(delta)]);
  if (!ok) throw await whyRefused(toSlotId, p.userId, now);
  await foldCounterDeltas([delta]);
  return bookingView(b, now);
}

/** A resident's consultations with their slots' details, latest first. */
export async function myConsultations(p: Principal, now = new Date(), limit = 20, cursor?: string) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byOwner',
      KeyConditionExpression: 'ownerPk = :pk',
      ExpressionAttributeValues: { ':pk': keys.legalBookingByResidentPartition(p.userId) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: ((out.Items ?? []) as Booking[]).map((b) => bookingView(b, now)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** The duty lawyer's view of a slot: who booked, about what; the read is audited. */
export async function slotForOfficer(p: Principal, slotId: string, now = new Date()) {
  const { slot, bookings } = await slotWithBookings(slotId);
  if (!slot) throw new NotFoundError('SLOT_NOT_FOUND', '没有找到这个咨询时段');
  await writeAudit({ actorId: p.userId, action: 'consultation.read', targetType: 'consultation', targetId: slotId, detail: { bookings: bookings.length } }, now);
  return {
    slot: slotView(slot),
    bookings: bookings
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((b) => ({ ...bookingView(b, now), userId: b.userId, name: b.name, phoneMasked: b.phoneMasked ?? null })),
  };
}

/** The lawyer's record after the consultation: held with the advice and what it became, or a no-show. */
export async function recordConsultation(p: Principal, slotId: string, userId: string, input: RecordInput, now = new Date()) {
  const { slot, bookings } = await slotWithBookings(slotId);
  if (!slot) throw new NotFoundError('SLOT_NOT_FOUND', '没有找到这个咨询时段');
  const booking = bookings.find((b) => b.userId === userId) ?? null;
  const decided = decideRecord(booking, slot, input, now);
  if ('refusal' in decided) throw refuse(decided.refusal);
  const set = { ...decided.set, recordedBy: p.userId };
  const delta = figures(slot.startAt, decided.counts);
  const ok = await commit([
    {
      Update: {
        TableName: table(),
        Key: keys.legalBooking(slotId, userId),
        ...buildUpdate({ set, names: { '#st': 'status' }, values: { ':booked': 'booked' } }),
        ConditionExpression: '#st = :booked',
      },
    },
    ...deltaPuts(delta),
  ]);
  if (!ok) throw new ConflictError('CONSULTATION_RECORDED', '这次咨询已经记录过了');
  await foldCounterDeltas([delta]);
  return bookingView({ ...booking!, ...set }, now);
}

/**
 * The evening reminder (schedule, 18:00 Beijing): everyone booked for tomorrow is told once — the
 * mark and the message's outbox entry in one transaction, so a rerun or a crash neither repeats
 * nor loses one.
 */
export async function remindTomorrow(now = new Date()): Promise<{ reminded: number }> {
  const day = reminderDay(now);
  const { slots } = await openSlotsBetween(atBeijing(day), atBeijing(addDays(day, 1)));
  let reminded = 0;
  for (const s of slots) {
    const { bookings } = await slotWithBookings(s.slotId);
    for (const b of bookings.filter(needsReminder)) {
      const entry: OutboxEntry = newOutboxEntry(
        notificationMessage({
          notificationId: `legal-reminder-${s.slotId}-${b.userId}`,
          userId: b.userId,
          template: 'consultation_reminder',
          data: { consultation: `法律咨询 ${consultationModeNames[s.mode]}`, time: slotWhen(s), place: s.mode === 'phone' ? '律师会致电您' : s.place },
          page: 'pages/legal/mine/index',
          at: now.toISOString(),
        }),
      );
      const marked = await writeIf(() =>
        ddb().send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table(),
                  Key: keys.legalBooking(s.slotId, b.userId),
                  UpdateExpression: 'SET remindedAt = :at',
                  ConditionExpression: '#s = :booked AND attribute_not_exists(remindedAt)',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: { ':at': now.toISOString(), ':booked': 'booked' },
                },
              },
              outboxPut(entry),
            ],
          }),
        ),
      );
      if (marked) {
        reminded++;
        await flushOutbox([entry]);
      }
    }
  }
  return { reminded };
}
