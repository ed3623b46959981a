import { careRoot } from '../../behaviors/care-root';
/**
 * 1 to 5 stars. Every star stays on screen whatever is chosen, so a score can be raised again;
 * the choice is told to the page as a `change` event with `{ score }`.
 */
Component({
  options: { addGlobalClass: true },
  behaviors: [careRoot],
  properties: {
    score: { type: Number, value: 5 },
  },
  data: { stars: [1, 2, 3, 4, 5] },
  methods: {
    choose(e: WechatMiniprogram.TouchEvent) {
      this.triggerEvent('change', { score: Number(e.currentTarget.dataset.score) });
    },
  },
});
