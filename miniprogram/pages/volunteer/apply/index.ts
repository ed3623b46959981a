import { postTeamApplication } from '../../../services/routes';
import { act, care, load, param } from '../../../services/ui';
import { http } from '../../../services/wx';

/** What a resident can offer, as tags to tap rather than text to type. */
const skillChoices = ['量血压', '理发', '家电维修', '辅导功课', '陪伴老人', '打扫卫生', '医护', '驾驶', '摄影', '法律知识'];
const availabilityChoices = ['工作日白天', '工作日晚上', '周末上午', '周末下午', '时间不固定，提前约'];

/**
 * 申请成为志愿者: from an activity a resident could not sign up for. They tap what they can do
 * and when they are free; the team's lead decides, and the resident is told in 我的消息.
 */
Page({
  data: {
    teamId: '',
    teamName: '',
    skills: skillChoices.map((name) => ({ name, on: false })),
    availability: availabilityChoices,
    availabilityIndex: -1,
    note: '',
    done: '',
    busy: false,
    errors: {} as Record<string, string>,
    loading: false,
    loadError: '',
    rootClass: 'normal',
  },
  onLoad(query: Record<string, string | undefined>) {
    return load(this, async () => ({ teamId: param(query, 'teamId'), teamName: decodeURIComponent(query.teamName ?? '') }));
  },
  onShow() {
    care(this);
  },
  toggleSkill(e: WechatMiniprogram.TouchEvent) {
    const i = Number(e.currentTarget.dataset.index);
    this.setData({ [`skills[${i}].on`]: !this.data.skills[i]!.on });
  },
  onAvailability(e: WechatMiniprogram.PickerChange) {
    this.setData({ availabilityIndex: Number(e.detail.value), 'errors.availability': '' });
  },
  onNote(e: WechatMiniprogram.Input) {
    this.setData({ note: e.detail.value });
  },
  async submit() {
    if (this.data.availabilityIndex < 0) {
      this.setData({ errors: { availability: '请选择什么时候有空' } });
      return;
    }
    const body = {
      skills: this.data.skills.filter((s) => s.on).map((s) => s.name),
      availability: availabilityChoices[this.data.availabilityIndex]!,
      ...(this.data.note.trim() ? { note: this.data.note.trim() } : {}),
    };
    const out = await act(this, () => http.call(postTeamApplication, { params: { teamId: this.data.teamId }, body }), { success: '申请已提交' });
    if (out) this.setData({ done: `已向${out.teamName}提交申请。负责人审核后会在「我的消息」里告诉您，通过后就能报名活动。` });
  },
});
