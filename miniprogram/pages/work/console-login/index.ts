import { consoleLoginFromScan, consoleScope } from '../../../logic/console-login';
import { getMe, getMyGrid, postConsoleLoginApproval } from '../../../services/routes';
import { act, care, load } from '../../../services/ui';
import { http } from '../../../services/wx';

/**
 * 扫码登录指挥中心: a staff member scans the QR code the console shows, sees who and where they
 * will sign in as, and confirms. Nothing happens without the tap on 确认登录.
 */
Page({
  data: {
    loginId: '',
    name: '',
    roleText: '',
    scopeText: '',
    done: false,
    busy: false,
    scanError: '',
    loading: false,
    loadError: '',
    rootClass: 'normal',
  },
  onLoad(query: Record<string, string | undefined>) {
    return load(this, async () => {
      const [me, grid] = await Promise.all([http.call(getMe), http.call(getMyGrid)]);
      return { loginId: query.loginId ?? '', name: me.name, ...consoleScope(me, grid) };
    });
  },
  onShow() {
    care(this);
  },
  scan() {
    wx.scanCode({
      onlyFromCamera: true,
      scanType: ['qrCode'],
      success: (r) => {
        const loginId = consoleLoginFromScan(r.result);
        this.setData(loginId ? { loginId, scanError: '', done: false } : { scanError: '这不是指挥中心的登录二维码，请扫描电脑屏幕上的二维码' });
      },
      fail: () => this.setData({ scanError: '没有扫到二维码，请再试一次' }),
    });
  },
  async approve() {
    const out = await act(this, () => http.call(postConsoleLoginApproval, { params: { loginId: this.data.loginId } }), { success: '已确认登录' });
    if (out) this.setData({ done: true });
  },
  cancel() {
    this.setData({ loginId: '' });
    void wx.navigateBack({ delta: 1 });
  },
});
