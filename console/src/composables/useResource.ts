import { onBeforeUnmount, type Ref, ref, shallowRef, watch, type WatchSource } from 'vue';

import { ApiError } from '../api';

/** How often every panel refreshes itself (the big screen runs unattended all day). */
export const refreshMs = 60_000;

/**
 * One data source of a panel: its data, loading and error states, refreshed on a timer and when
 * its inputs change. The last good data stays on screen while a refresh is under way or fails.
 */
export function useResource<T>(load: () => Promise<T>, deps: WatchSource[] = []) {
  const data = shallowRef<T | null>(null) as Ref<T | null>;
  const loading = ref(true);
  const error = ref<string | null>(null);
  const updatedAt = ref<Date | null>(null);
  let seq = 0;

  async function reload() {
    const mine = ++seq;
    loading.value = true;
    try {
      const value = await load();
      if (mine !== seq) return;
      data.value = value;
      error.value = null;
      updatedAt.value = new Date();
    } catch (err) {
      if (mine !== seq) return;
      error.value = err instanceof ApiError ? err.message : '网络异常，数据未能更新';
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  if (deps.length) watch(deps, () => void reload());
  void reload();
  const timer = window.setInterval(() => void reload(), refreshMs);
  onBeforeUnmount(() => window.clearInterval(timer));
  return { data, loading, error, updatedAt, reload };
}
