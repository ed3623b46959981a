import { callNumber } from '../../services/ui';

/**
 * 我的网格员 and the like: who to turn to, their role, their number, and one tap to call them.
 * The number stays on screen too, to write down or dial by hand.
 */
Component({
  options: { addGlobalClass: true },
  properties: {
    title: { type: String, value: '' },
    /** [{ userId, name, role, phone, canCall }] */
    people: { type: Array, value: [] },
    /** The page's care-mode class, so that 关怀模式 enlarges the card too. */
    rootClass: { type: String, value: 'normal' },
  },
  methods: {
    call: callNumber,
  },
});
