import { slotBookingRow } from '../../../logic/views';
import { getLegalSlot, postContactReveal, postLegalRecord } from '../../../services/routes';
import { act, care, load, param } from '../../../services/ui';
import { http } from '../../../services/wx';

const outcomes = [
  { key: 'advice', name: '已解答' },
  { key: 'legal_aid', name: '转法律援助申请' },
  { key: 'mediation', name: '转人民调解' },
] as const;

/**
 * One slot for the duty lawyer: who booked and about what (the read is audited), and for each
 * booking once the slot has begun, the record: the advice and what it became, or 未到.
 */
Page({
  data: {
    slotId: '',
    slot: null as null | { when: string; how: string; lawyer: string; booked: string; started: boolean; byPhone: boolean },
    bookings: [] as ReturnType<typeof slotBookingRow>[],
    outcomes,
    editing: '',
    advice: '',
    outcomeIndex: 0,
    busy: false,
    errors: {} as Record<string, string>,
    loading: false,
    loadError: '',
    rootClass: 'normal',
  },
  onLoad(query: Record<string, string | undefined>) {
    return load(this, async () => {
      const slotId = param(query, 'slotId');
      return { slotId, ...(await this.read(slotId)) };
    });
  },
  onShow() {
    care(this);
  },
  async read(slotId: string) {
    const out = await http.call(getLegalSlot, { params: { slotId } });
    const s = out.slot;
    return {
      // A consultation is recorded once its slot has begun (the server refuses it before).
      slot: { when: s.when, how: `${s.modeName} · ${s.place}`, lawyer: `值班律师：${s.lawyerName}`, booked: `${s.booked} / ${s.capacity} 人已预约`, started: Date.parse(s.startAt) <= Date.now(), byPhone: s.mode === 'phone' },
      bookings: out.bookings.filter((b) => b.status !== 'cancelled').map(slotBookingRow),
    };
  },
  /** A phone consultation is a call: the number is revealed for this booking (audited), then dialled. */
  async call(e: WechatMiniprogram.TouchEvent) {
    const userId = String(e.currentTarget.dataset.id);
    const out = await act(this, () => http.call(postContactReveal, { params: { userId }, body: { field: 'phone', reason: '电话法律咨询', slotId: this.data.slotId } }));
    if (out?.value) void wx.makePhoneCall({ phoneNumber: out.value });
    else if (out) void wx.showToast({ title: '这位居民没有登记手机号', icon: 'none' });
  },
  edit(e: WechatMiniprogram.TouchEvent) {
    this.setData({ editing: String(e.currentTarget.dataset.id), advice: '', outcomeIndex: 0, errors: {} });
  },
  onAdvice(e: WechatMiniprogram.Input) {
    this.setData({ advice: e.detail.value });
  },
  onOutcome(e: WechatMiniprogram.PickerChange) {
    this.setData({ outcomeIndex: Number(e.detail.value) });
  },
  held() {
    return this.record(true);
  },
  absent() {
    return this.record(false);
  },
  async record(attended: boolean) {
    const { slotId, editing, advice, outcomeIndex } = this.data;
    const body = attended ? { attended, advice, outcome: outcomes[outcomeIndex]!.key } : { attended };
    const out = await act(this, () => http.call(postLegalRecord, { params: { slotId, userId: editing }, body }), { loading: '正在保存', success: attended ? '已记录' : '已记为未到' });
    if (!out) return;
    this.setData({ editing: '', ...(await this.read(slotId)) });
  },
});
