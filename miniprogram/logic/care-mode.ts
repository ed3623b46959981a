import type { Storage } from '../services/http';

/** 关怀模式: larger text and simpler layouts for elderly residents; remembered on the phone. */
const key = 'anzhi.care-mode';

export function careMode(storage: Storage) {
  return {
    enabled: () => storage.get(key) === '1',
    /** Whether the person has chosen either way (first launch asks; later launches do not). */
    decided: () => storage.get(key) === '1' || storage.get(key) === '0',
    set(on: boolean) {
      storage.set(key, on ? '1' : '0');
    },
    /** The root class every page puts on its outer view. */
    rootClass: () => (storage.get(key) === '1' ? 'care' : 'normal'),
  };
}

/** The phone's own text size above which the app starts in 关怀模式 without asking. */
export const largeFontScale = 1.15;
