import type { Storage } from '../services/http';

/** 关怀模式: larger text and simpler layouts for elderly residents; remembered on the phone. */
const key = 'anzhi.care-mode';

export function careMode(storage: Storage) {
  return {
    enabled: () => storage.get(key) === '1',
    set(on: boolean) {
      storage.set(key, on ? '1' : '0');
    },
    /** The root class every page puts on its outer view. */
    rootClass: () => (storage.get(key) === '1' ? 'care' : 'normal'),
  };
}
