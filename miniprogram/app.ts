import { careMode, largeFontScale } from './logic/care-mode';
import { createOfflineQueue } from './logic/offline-queue';
import { asDraft, sendRequestDraft } from './services/requests';
import { storage } from './services/wx';

/**
 * What was submitted offline is sent when the network comes back, and at launch if the phone is
 * online — once: each carries the Idempotency-Key it was made with.
 */
let retryTimer: number | undefined;

function sendPending(): void {
  const queue = createOfflineQueue(storage);
  if (queue.pending().length === 0) return;
  void queue
    .flush(async (item) => {
      await sendRequestDraft(asDraft(item.payload), item.idempotencyKey);
    })
    .then((r) => {
      if (r.sent > 0) void wx.showToast({ title: `已补发 ${r.sent} 条诉求`, icon: 'success' });
      // A refusal is final: say why, so the resident can fill the form in again.
      if (r.refused.length > 0) void wx.showModal({ title: `${r.refused.length} 条保存的诉求未能提交`, content: r.refused.map((x) => x.message).join('\n'), showCancel: false });
      // The server was busy or failing: try again after the backoff, even if the network never changes.
      if (r.retryAt) {
        if (retryTimer !== undefined) clearTimeout(retryTimer);
        retryTimer = setTimeout(sendPending, Math.max(1_000, Date.parse(r.retryAt) - Date.now())) as unknown as number;
      }
    });
}

/**
 * 关怀模式 on first launch: someone who has set large text on their phone gets it at once (and is
 * told where to switch it off); anyone else is asked once. Either way the choice is kept.
 */
function offerCareMode(): void {
  const mode = careMode(storage);
  if (mode.decided()) return;
  const scale = typeof wx.getAppBaseInfo === 'function' ? (wx.getAppBaseInfo().fontSizeScaleFactor ?? 1) : 1;
  if (scale >= largeFontScale) {
    mode.set(true);
    void wx.showToast({ title: '已按手机的大字设置开启关怀模式，可在「我的」里关闭', icon: 'none', duration: 3000 });
    return;
  }
  wx.showModal({
    title: '需要大字吗？',
    content: '开启关怀模式后，字和按钮都会变大，看得更清楚。以后可以在「我的」里随时开关。',
    confirmText: '开启',
    cancelText: '不用',
    success: (r) => mode.set(r.confirm),
  });
}

App({
  onLaunch() {
    offerCareMode();
    wx.onNetworkStatusChange((s) => {
      if (s.isConnected) sendPending();
    });
    wx.getNetworkType({ success: (r) => r.networkType !== 'none' && sendPending() });
  },
});
