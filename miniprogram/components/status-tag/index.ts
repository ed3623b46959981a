import { careRoot } from '../../behaviors/care-root';

/**
 * A status as a tag whose colour means something: green done, orange waiting, blue in hand,
 * red only for what is overdue or refused, grey for the rest (app.wxss `.tone-*`). In 关怀模式 the
 * tag is as large as body text.
 */
Component({
  options: { addGlobalClass: true },
  behaviors: [careRoot],
  properties: {
    text: { type: String, value: '' },
    /** done | waiting | working | alert | neutral */
    tone: { type: String, value: 'neutral' },
  },
});
