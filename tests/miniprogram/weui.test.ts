import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { buildWeuiSubset, weuiTarget } from '../../infra/miniprogram/weui';

describe('WeUI subset (miniprogram/styles/weui.wxss)', () => {
  const committed = readFileSync(weuiTarget, 'utf8');

  it('is exactly what the pinned weui-wxss and our styles generate (run npm run miniprogram:weui after a change)', () => {
    expect(committed).toBe(buildWeuiSubset());
  });

  it('holds the widgets the pages use, once, without the dark theme', () => {
    for (const cls of ['.weui-btn{', '.weui-btn_primary{', '.weui-btn_default{', '.weui-cells{', '.weui-cell_access', '.weui-loadmore__tips{', '.weui-form-preview__label{']) {
      expect(committed, cls).toContain(cls);
    }
    expect(committed).not.toContain('data-weui-theme="dark"');
    expect(committed.match(/\}\.weui-btn\{/g)).toHaveLength(1);
  });

  it('keeps only the tokens something reads', () => {
    const declared = [...committed.matchAll(/(--weui-[\w-]+):/g)].map((m) => m[1]!);
    const read = new Set([...(committed + readFileSync(weuiTarget.replace('styles/weui.wxss', 'app.wxss'), 'utf8')).matchAll(/var\((--weui-[\w-]+)/g)].map((m) => m[1]));
    expect(declared.length).toBeGreaterThan(5);
    expect(declared.filter((d) => !read.has(d))).toEqual([]);
  });
});
