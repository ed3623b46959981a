import { postVisitLog } from '../../../services/routes';
import { act, care, param } from '../../../services/ui';
import { http } from '../../../services/wx';

const findings = ['家中无人', '有人生病', '缺少劳动力', '收入下降', '子女上学困难', '住房有问题', '情绪低落', '有矛盾纠纷'];
const colours = [
  { key: '', name: '不变' },
  { key: 'red', name: '红灯（每日随访）' },
  { key: 'yellow', name: '黄灯（每周跟踪）' },
  { key: 'green', name: '绿灯（每月监测）' },
];

/** Log a visit: what was seen, findings, and (optionally) a colour change for the community to confirm. */
Page({
  data: { visitId: '', address: '', colour: '', notes: '', findings, picked: [] as string[], colours, colourIndex: 0, reason: '', result: '', busy: false, errors: {} as Record<string, string>, loadError: '', rootClass: 'normal' },
  onLoad(query: Record<string, string | undefined>) {
    try {
      this.setData({ visitId: param(query, 'visitId'), address: decodeURIComponent(query.address ?? ''), colour: query.colour ?? '' });
    } catch (err) {
      this.setData({ loadError: (err as Error).message });
    }
  },
  onShow() {
    care(this);
  },
  onNotes(e: WechatMiniprogram.Input) {
    this.setData({ notes: e.detail.value });
  },
  onFindings(e: WechatMiniprogram.CheckboxGroupChange) {
    this.setData({ picked: e.detail.value });
  },
  onColour(e: WechatMiniprogram.PickerChange) {
    this.setData({ colourIndex: Number(e.detail.value) });
  },
  onReason(e: WechatMiniprogram.Input) {
    this.setData({ reason: e.detail.value });
  },
  async submit() {
    const { visitId, notes, picked, colourIndex, reason } = this.data;
    const proposedColour = colours[colourIndex]!.key as 'red' | 'yellow' | 'green' | '';
    if (proposedColour && reason.trim().length < 2) {
      this.setData({ errors: { proposedReason: '建议调整颜色时请写明原因' } });
      return;
    }
    const out = await act(
      this,
      () => http.call(postVisitLog, { params: { visitId }, body: { notes, findings: picked, ...(proposedColour ? { proposedColour, proposedReason: reason.trim() } : {}) } }),
      { loading: '正在保存', success: '走访已记录' },
    );
    if (out) this.setData({ result: out.proposal ? `已记录。${out.proposal}` : '已记录，本次走访完成' });
  },
  back() {
    void wx.navigateBack();
  },
});
