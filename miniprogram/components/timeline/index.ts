import { careRoot } from '../../behaviors/care-root';
/** 办理过程: what happened to a request, newest first, each with its time. */
Component({
  options: { addGlobalClass: true },
  behaviors: [careRoot],
  properties: {
    title: { type: String, value: '办理过程' },
    /** [{ seq, at, text }], newest first */
    events: { type: Array, value: [] },
  },
});
