import { careRoot } from '../../behaviors/care-root';

/** A label over a group of cards: plain text, never styled like a row that can be tapped. */
Component({
  options: { addGlobalClass: true },
  behaviors: [careRoot],
  properties: {
    title: { type: String, value: '' },
    /** A short note after the title (a count, "按到期时间排序"). */
    note: { type: String, value: '' },
  },
});
