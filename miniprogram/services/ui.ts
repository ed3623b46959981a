import { careMode } from '../logic/care-mode';
import { tabPages } from '../logic/home';
import { createPagedList } from '../logic/paged-list';
import { ApiError } from './http';
import { storage } from './wx';

/**
 * What every page does the same way: visible feedback for every action (loading, then success
 * or the reason it failed, never silence), the care-mode class, and infinite-scroll lists.
 */
export interface PageHost {
  data: Record<string, any>;
  setData(data: Record<string, unknown>): void;
}

/**
 * Runs an action with a loading indicator and the page's `busy` flag (buttons bind it to
 * disabled, so a double tap does not send twice); says what happened in a toast. Field errors
 * go to `errors` so the form can show them where they belong. Resolves to the answer, or
 * undefined when it failed (the user has been told).
 */
export async function act<T>(page: PageHost, work: () => Promise<T>, msg: { loading?: string; success?: string } = {}): Promise<T | undefined> {
  if (page.data.busy) return undefined;
  page.setData({ busy: true, errors: {} });
  void wx.showLoading({ title: msg.loading ?? '请稍候', mask: true });
  try {
    const out = await work();
    void wx.hideLoading();
    if (msg.success) void wx.showToast({ title: msg.success, icon: 'success' });
    return out;
  } catch (err) {
    void wx.hideLoading();
    if (err instanceof ApiError) page.setData({ errors: err.fieldMessages() });
    void wx.showToast({ title: (err as Error).message, icon: 'none', duration: 3000 });
    return undefined;
  } finally {
    page.setData({ busy: false });
  }
}

/** Loads what a page shows; a failure is shown on the page itself (`loadError`), with a retry. */
export async function load(page: PageHost, work: () => Promise<Record<string, unknown>>): Promise<void> {
  page.setData({ loading: true, loadError: '' });
  try {
    page.setData({ ...(await work()), loading: false });
  } catch (err) {
    page.setData({ loading: false, loadError: (err as Error).message });
  }
}

export function confirm(content: string, title = '请确认', confirmText = '确定'): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({ title, content, confirmText, success: (r) => resolve(r.confirm), fail: () => resolve(false) });
  });
}

export function go(url: string): void {
  // A tab page is reached by switching tabs (navigateTo refuses it); the others are pushed.
  if (tabPages.includes(url.split('?')[0]!)) void wx.switchTab({ url });
  else void wx.navigateTo({ url });
}

/** A page's 拨打 button: the number rides on the button (`data-phone`). */
export function callNumber(e: WechatMiniprogram.TouchEvent): void {
  const phoneNumber = String(e.currentTarget.dataset.phone ?? '');
  if (phoneNumber) void wx.makePhoneCall({ phoneNumber });
}

/** A PDF from a short-lived link: downloaded, then shown by WeChat's viewer (which can also save or forward it). */
export function openPdf(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url,
      success: (r) => {
        if (r.statusCode >= 300) return reject(new Error('文件已过期，请返回重新打开'));
        wx.openDocument({ filePath: r.tempFilePath, fileType: 'pdf', showMenu: true, success: () => resolve(), fail: () => reject(new Error('无法打开文件')) });
      },
      fail: () => reject(new Error('网络不太好，请稍后再试')),
    });
  });
}

/** The care-mode class, read when a page shows (it may have been switched on another page). */
export function care(page: PageHost): void {
  page.setData({ rootClass: careMode(storage).rootClass() });
}

type PagedList = ReturnType<typeof createPagedList<unknown, any>>;
const lists = new WeakMap<PageHost, PagedList>();

/** Starts a page's list: first page now, the next on reaching the bottom (`more`), `refresh` on pull-down. */
export async function startList<T, F>(page: PageHost, fetchPage: (filters: F, cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, filters: F): Promise<void> {
  const list = createPagedList(fetchPage, filters) as PagedList;
  lists.set(page, list);
  page.setData({ ...(await list.refresh()) });
}

export async function more(page: PageHost): Promise<void> {
  const list = lists.get(page);
  if (list) page.setData({ ...(await list.more()) });
}

export async function refresh(page: PageHost): Promise<void> {
  const list = lists.get(page);
  if (list) page.setData({ ...(await list.refresh()) });
  void wx.stopPullDownRefresh();
}

export async function filter<F>(page: PageHost, change: Partial<F>): Promise<void> {
  const list = lists.get(page);
  if (list) page.setData({ ...(await list.setFilters({ ...(list.state.filters as F), ...change })) });
}

/** Maps each page of a route's answer to the rows a page shows. */
export function rows<T, R>(page: Promise<{ items: T[]; nextCursor: string | null }>, row: (item: T) => R) {
  return page.then((p) => ({ items: p.items.map(row), nextCursor: p.nextCursor }));
}

/** The page's query parameter, or a clear message instead of a blank page. */
export function param(query: Record<string, string | undefined>, name: string): string {
  const v = query[name];
  if (!v) throw new Error('页面参数缺失，请返回重试');
  return decodeURIComponent(v);
}

/** The hooks every list page has: care mode on show, the next page at the bottom, pull to refresh. */
export const listPageHooks = {
  onShow(this: PageHost) {
    care(this);
  },
  onReachBottom(this: PageHost) {
    return more(this);
  },
  onPullDownRefresh(this: PageHost) {
    return refresh(this);
  },
};

const hidden = new WeakSet<PageHost>();

/**
 * For lists that change while the user is elsewhere (a request just handled, a job just posted):
 * reload when the page is shown again, not when it is first shown.
 */
export const reloadOnReturnHooks = {
  ...listPageHooks,
  onHide(this: PageHost) {
    hidden.add(this);
  },
  onShow(this: PageHost) {
    care(this);
    if (hidden.delete(this)) return refresh(this);
    return undefined;
  },
};

interface Reloading extends PageHost {
  reload(): Promise<void>;
}

/**
 * For pages that sum up what changes elsewhere (首页, 我的: counts of what waits, unread
 * messages): read again whenever shown after the first time, and on pull-down.
 */
export const summaryPageHooks = {
  onHide(this: Reloading) {
    hidden.add(this);
  },
  onShow(this: Reloading) {
    care(this);
    if (hidden.delete(this)) void this.reload();
  },
  async onPullDownRefresh(this: Reloading) {
    await this.reload();
    void wx.stopPullDownRefresh();
  },
};

/** The hooks of a form page: care mode on show, and inputs bound with data-field="<name>" write form.<name>. */
export const formPageHooks = {
  onShow(this: PageHost) {
    care(this);
  },
  onField(this: PageHost, e: WechatMiniprogram.Input) {
    this.setData({ [`form.${String(e.currentTarget.dataset.field)}`]: e.detail.value });
  },
};
