import { ref } from 'vue';

import { api, ApiError, type ExportJob } from '../api';
import { download } from '../csv';

/**
 * A large export made by the server (POST /v1/exports → 202), polled until ready, then downloaded
 * through its 5-minute link. The status line says what is happening the whole time.
 */
export function useExport() {
  const status = ref<string | null>(null);
  const busy = ref(false);

  async function run(kind: ExportJob['kind'], scope?: string) {
    busy.value = true;
    status.value = '正在后台生成，请稍候…';
    try {
      let job = await api.startExport(kind, scope);
      for (let i = 0; job.status === 'pending' && i < 240; i++) {
        await new Promise((r) => setTimeout(r, 1500));
        job = await api.exportJob(job.exportId);
      }
      if (job.status === 'failed') {
        status.value = job.error ?? '导出失败';
        return;
      }
      if (job.status !== 'ready' || !job.downloadUrl) {
        status.value = '生成时间较长，请稍后在此重试';
        return;
      }
      status.value = `已生成 ${job.rows ?? 0} 行：${job.fileName}`;
      download(job.downloadUrl, job.fileName ?? 'export.csv');
    } catch (err) {
      status.value = err instanceof ApiError ? err.message : '导出失败，请重试';
    } finally {
      busy.value = false;
    }
  }
  return { run, status, busy };
}
