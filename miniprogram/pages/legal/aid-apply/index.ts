import { links, navigateUrl } from '../../../services/links';
import { choosePhotos, uploadPhoto } from '../../../services/photos';
import { postLegalAid } from '../../../services/routes';
import { askToNotify, loadSubscribeTemplates } from '../../../services/subscribe';
import { act, formPageHooks, go } from '../../../services/ui';
import { http } from '../../../services/wx';

const matters = [
  { key: 'wages', name: '追索劳动报酬（欠薪）' },
  { key: 'work_injury', name: '工伤赔偿' },
  { key: 'family_support', name: '赡养费、抚养费、扶养费' },
  { key: 'marriage', name: '婚姻家庭' },
  { key: 'traffic', name: '交通事故赔偿' },
  { key: 'medical', name: '医疗纠纷' },
  { key: 'personal_injury', name: '人身损害赔偿' },
  { key: 'other', name: '其他' },
] as const;
type Matter = (typeof matters)[number]['key'];

/**
 * 申请法律援助: what for (large tiles), the ID number (the roster spares 低保/特困 households the
 * hardship check), what happened, what they ask, documents as photos; then when the centre decides.
 */
Page({
  ...formPageHooks,
  data: {
    matters,
    matter: '',
    form: { idNumber: '', situation: '', claim: '', opposingParty: '' },
    photos: [] as string[],
    fromSlotId: '',
    busy: false,
    errors: {} as Record<string, string>,
    done: null as null | { decideByText: string; hardship: string; id: string },
    rootClass: 'normal',
  },
  onLoad(query: Record<string, string | undefined> = {}) {
    void loadSubscribeTemplates();
    this.setData({ fromSlotId: query.fromSlotId ?? '' });
  },
  onMatter(e: WechatMiniprogram.TouchEvent) {
    this.setData({ matter: String(e.currentTarget.dataset.key), 'errors.matter': '' });
  },
  async addPhotos() {
    const picked = await choosePhotos(6 - this.data.photos.length);
    if (picked.length) this.setData({ photos: [...this.data.photos, ...picked].slice(0, 6) });
  },
  removePhoto(e: WechatMiniprogram.TouchEvent) {
    this.setData({ photos: this.data.photos.filter((_, i) => i !== Number(e.currentTarget.dataset.index)) });
  },
  async submit() {
    if (!this.data.matter) {
      this.setData({ errors: { matter: '请选择申请援助的事项' } });
      void wx.pageScrollTo({ selector: '.matters', duration: 300 });
      return;
    }
    askToNotify(['legal_case']);
    const { form, matter, fromSlotId, photos } = this.data;
    const out = await act(
      this,
      async () => {
        const keys = [];
        for (const p of photos) keys.push(await uploadPhoto(p));
        return http.call(postLegalAid, {
          body: { matter: matter as Matter, idNumber: form.idNumber, situation: form.situation, claim: form.claim, photos: keys, ...(form.opposingParty ? { opposingParty: form.opposingParty } : {}), ...(fromSlotId ? { fromSlotId } : {}) },
        });
      },
      { loading: '正在提交', success: '已提交' },
    );
    if (out) this.setData({ done: { decideByText: out.decideByText, hardship: out.hardship.text, id: out.applicationId } });
  },
  view() {
    go(navigateUrl(links.legalAid(this.data.done!.id)));
  },
  mine() {
    go(navigateUrl(links.myLegalCases()));
  },
});
