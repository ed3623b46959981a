import { createOfflineQueue } from './logic/offline-queue';
import { asDraft, sendRequestDraft } from './services/requests';
import { storage } from './services/wx';

/**
 * What was submitted offline is sent when the network comes back, and at launch if the phone is
 * online — once: each carries the Idempotency-Key it was made with.
 */
function sendPending(): void {
  const queue = createOfflineQueue(storage);
  if (queue.pending().length === 0) return;
  void queue
    .flush(async (item) => {
      await sendRequestDraft(asDraft(item.payload), item.idempotencyKey);
    })
    .then((r) => {
      if (r.sent > 0) void wx.showToast({ title: `已补发 ${r.sent} 条诉求`, icon: 'success' });
      if (r.failed > 0) void wx.showToast({ title: `${r.failed} 条诉求未能提交，请重新填写`, icon: 'none' });
    });
}

App({
  onLaunch() {
    wx.onNetworkStatusChange((s) => {
      if (s.isConnected) sendPending();
    });
    wx.getNetworkType({ success: (r) => r.networkType !== 'none' && sendPending() });
  },
});
