/**
 * What every shared component needs to follow 关怀模式: the page's root class (`normal` / `care`),
 * passed down so that the component's text and buttons enlarge with the page, and the app's
 * global classes (`.care .title`, `.status`, `.weui-btn_default`) applied inside it.
 */
export const careRoot = Behavior({
  properties: {
    rootClass: { type: String, value: 'normal' },
  },
});
