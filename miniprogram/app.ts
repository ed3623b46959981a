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

App({
  onLaunch() {
    wx.onNetworkStatusChange((s) => {
      if (s.isConnected) sendPending();
    });
    wx.getNetworkType({ success: (r) => r.networkType !== 'none' && sendPending() });
  },
});
