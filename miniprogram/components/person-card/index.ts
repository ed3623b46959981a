import { careRoot } from '../../behaviors/care-root';
import { callNumber } from '../../services/ui';

/**
 * 我的网格员 and the like: who to turn to, their role, their number, and one tap to call them.
 * The number stays on screen too, to write down or dial by hand.
 */
Component({
  options: { addGlobalClass: true },
  behaviors: [careRoot],
  properties: {
    title: { type: String, value: '' },
    /** [{ userId, name, role, phone, canCall }] */
    people: { type: Array, value: [] },
  },
  methods: {
    call: callNumber,
  },
});
