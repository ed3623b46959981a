import { careRoot } from '../../behaviors/care-root';

/**
 * The three states a page's data can be in besides "here it is": loading, failed (with a retry the
 * page handles), and empty (saying what will appear here and, where there is one, what to do).
 */
Component({
  options: { addGlobalClass: true },
  behaviors: [careRoot],
  properties: {
    loading: { type: Boolean, value: false },
    error: { type: String, value: '' },
    empty: { type: Boolean, value: false },
    emptyText: { type: String, value: '这里还没有内容' },
  },
  methods: {
    retry() {
      this.triggerEvent('retry');
    },
  },
});
