import { beforeAll, describe, expect, inject, it } from 'vitest';

import { createSimulator } from '../../infra/miniprogram/simulator';

/**
 * The shared components of miniprogram/components/, each on its own (the pages that use them are
 * tested in pages.test.ts against the real stack).
 */
const root = inject('miniprogramRoot');
let sim: ReturnType<typeof createSimulator>;

beforeAll(() => {
  sim = createSimulator(root);
  sim.usePhone({ apiUrl: 'http://127.0.0.1:9', openid: 'dev-components' });
});

describe('components/person-card', () => {
  it('names each person with their role and number, and calls the one tapped', async () => {
    const card = sim.component('components/person-card/index', {
      title: '我的网格员 · 幸福社区第1网格',
      people: [
        { userId: 'a', name: '王秀英', role: '专职网格员', phone: '13910000000', canCall: true },
        { userId: 'b', name: '李秀英', role: '兼职网格员', phone: '', canCall: false },
      ],
    });
    expect(card.text()).toBe('我的网格员 · 幸福社区第1网格王秀英（专职网格员）13910000000拨打李秀英（兼职网格员）');
    expect(card.comp.querySelectorAll('.call')).toHaveLength(1);
    await card.tapAll('.call', 0);
    expect(sim.current()!.calls).toEqual(['13910000000']);
    card.detach();
  });

  it('takes the page\'s care-mode class', () => {
    const card = sim.component('components/person-card/index', { title: 't', people: [], rootClass: 'care' });
    expect(card.comp.dom.firstChild.className).toContain('care');
    card.detach();
  });
});

describe('components/timeline', () => {
  it('lists what happened with its time, and says so when nothing has', () => {
    const t = sim.component('components/timeline/index', { events: [{ seq: 2, at: '11月29日 21:48', text: '网格工作人员已受理' }, { seq: 1, at: '11月29日 21:40', text: '诉求已提交' }] });
    expect(t.text()).toBe('办理过程11月29日 21:48 网格工作人员已受理11月29日 21:40 诉求已提交');
    t.detach();
    const empty = sim.component('components/timeline/index', { events: [] });
    expect(empty.text()).toBe('办理过程还没有记录');
    empty.detach();
  });
});

describe('components/star-rating', () => {
  it('tells the page the score chosen, and keeps every star to choose again', async () => {
    const r = sim.component('components/star-rating/index', { score: 5 });
    r.listen('change');
    await r.tapAll('.star', 1);
    expect(r.events).toEqual([{ name: 'change', detail: { score: 2 } }]);
    r.setProps({ score: 2 });
    expect(r.comp.querySelectorAll('.star').map((s: { dom: { className: string } }) => s.dom.className.includes('star-on'))).toEqual([true, true, false, false, false]);
    expect(r.comp.querySelectorAll('.star')).toHaveLength(5);
    await r.tapAll('.star', 4);
    expect(r.events.at(-1)).toEqual({ name: 'change', detail: { score: 5 } });
    r.detach();
  });
});

describe('components/status-tag', () => {
  it('shows a status in the colour of its meaning, as large as body text in 关怀模式, and nothing when empty', () => {
    const tag = sim.component('components/status-tag/index', { text: '已超时', tone: 'alert' });
    expect(tag.text()).toBe('已超时');
    expect(tag.comp.querySelector('.status').dom.className).toContain('tone-alert');
    expect(tag.comp.querySelector('.status').dom.className).not.toContain('status-care');
    tag.setProps({ rootClass: 'care', tone: 'done', text: '已办结' });
    expect(tag.comp.querySelector('.status').dom.className).toContain('tone-done');
    expect(tag.comp.querySelector('.status').dom.className).toContain('status-care');
    tag.setProps({ text: '' });
    expect(tag.comp.querySelectorAll('.status')).toHaveLength(0);
    tag.detach();
  });
});

describe('components/page-state', () => {
  it('says loading, then the error with a retry the page handles, or what will appear when empty', async () => {
    const s = sim.component('components/page-state/index', { loading: true, emptyText: '您还没有提交过诉求' });
    expect(s.text()).toBe('加载中…');
    s.setProps({ loading: false, error: '网络不太好，请稍后再试' });
    expect(s.text()).toBe('网络不太好，请稍后再试（点此重试）');
    s.listen('retry');
    await s.tapAll('.error', 0);
    expect(s.events.map((e) => e.name)).toEqual(['retry']);
    s.setProps({ error: '', empty: true });
    expect(s.text()).toBe('您还没有提交过诉求');
    s.setProps({ empty: false });
    expect(s.text()).toBe('');
    s.detach();
  });
});

describe('components/section-header', () => {
  it('is a label with an optional note, never a tappable row', () => {
    const h = sim.component('components/section-header/index', { title: '等我处理', note: '3 件' });
    expect(h.text()).toBe('等我处理 3 件');
    expect(h.comp.querySelectorAll('.section-title')).toHaveLength(1);
    expect(h.comp.querySelector('.section-title').dom.getAttribute('bindtap')).toBeNull();
    h.detach();
  });
});
