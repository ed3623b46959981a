import { createOfflineQueue } from './logic/offline-queue';
import { postRequest } from './services/routes';
import { http, storage } from './services/wx';

/** When the network comes back, what was submitted offline is sent (once: Idempotency-Key). */
App({
  onLaunch() {
    const queue = createOfflineQueue(storage);
    wx.onNetworkStatusChange((s) => {
      if (!s.isConnected) return;
      void queue
        .flush(async (item) => {
          await http.call(postRequest, { body: item.payload as never, idempotencyKey: item.idempotencyKey });
        })
        .then((r) => {
          if (r.sent > 0) void wx.showToast({ title: `已补发 ${r.sent} 条诉求`, icon: 'success' });
        });
    });
  },
});
