import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { JSDOM } from 'jsdom';

/**
 * Runs the compiled mini-program's pages in jsdom with miniprogram-simulate (WXML compiled by the
 * official compiler it bundles) against a real HTTP API: the tests and the preview both use it.
 *
 * miniprogram-simulate loads page code with Node's own require, so the page's `wx` is the global
 * one: a phone is a `wx` whose network is fetch to the API, whose storage is a map, whose login
 * gives the dev code of a demo user, and which records what the user was shown (toasts, modals,
 * navigations) so that tests can check that every action gave visible feedback.
 */
const require = createRequire(import.meta.url);

/**
 * A jsdom window for the pages, in an otherwise plain Node process. Not vitest's jsdom
 * environment: that swaps the process's own globals (TextEncoder, Uint8Array from another realm),
 * which breaks jose and the AWS SDK in the API that the same test process runs.
 */
function installDom(): void {
  const g = globalThis as any;
  if (g.document) return;
  const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true });
  g.window = window;
  for (const name of ['document', 'navigator', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'TouchEvent', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame']) {
    const value = window[name];
    Object.defineProperty(g, name, { value: typeof value === 'function' && /^[a-z]/.test(name) ? value.bind(window) : value, configurable: true, writable: true });
  }
}

type Callbacks<T> = { success?: (r: T) => void; fail?: (e: { errMsg: string }) => void; complete?: () => void };
type AnyFn = (...args: any[]) => any;

export interface PhoneOptions {
  /** The API the phone's network reaches; requests to the mini-program's configured API_BASE go here. */
  apiUrl: string;
  /** The demo user's openid: wx.login gives `dev:<openid>`. */
  openid: string;
  /** What scanning a QR code reads. */
  scanResult?: string;
  /** The answer to wx.showModal (confirm or not). */
  confirmModal?: boolean;
  /** The phone's text size setting (wx.getAppBaseInfo().fontSizeScaleFactor); 1 by default. */
  fontScale?: number;
}

/** A small JPEG-shaped file the simulated camera "takes". */
export const simulatedPhoto = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('simulated camera photo'), Buffer.from([0xff, 0xd9])]);

export interface Phone {
  wx: Record<string, unknown>;
  online: boolean;
  scanResult: string;
  confirmModal: boolean;
  toasts: { title: string; icon?: string }[];
  modals: { title?: string; content?: string }[];
  navigations: string[];
  /** Numbers dialled with wx.makePhoneCall. */
  calls: string[];
  /** Where wx.pageScrollTo took the page (its selector). */
  scrolls: string[];
  /** Places opened with wx.openLocation. */
  maps: { latitude: number; longitude: number; name?: string; address?: string }[];
  requests: { method: string; url: string; data?: unknown; headers: Record<string, string> }[];
  /** The template ids of each wx.requestSubscribeMessage, in order. */
  subscriptions: string[][];
  /** Files sent by wx.uploadFile (where to, and the form's key). */
  uploads: { url: string; key: string }[];
  /** How many photos wx.chooseMedia gives next (the user's pick); 0 = the user backs out. */
  photosToPick: number;
  /** Documents opened with wx.openDocument after wx.downloadFile: the file's type and bytes. */
  documents: { fileType?: string; bytes: Buffer }[];
  storage: Map<string, unknown>;
  /** Turns the network off or on; on fires the wx.onNetworkStatusChange listeners, as WeChat does. */
  setOnline(on: boolean): void;
  /** Resolves once no request is in flight and the page's handlers have run to the end. */
  idle(): Promise<void>;
}

export function createPhone(opts: PhoneOptions, apiBase: string): Phone {
  let inflight = 0;
  const networkListeners: AnyFn[] = [];
  const done = <T>(o: Callbacks<T> | undefined, r: T) => {
    o?.success?.(r);
    o?.complete?.();
    return Promise.resolve(r);
  };
  const phone: Phone = {
    online: true,
    scanResult: opts.scanResult ?? '',
    confirmModal: opts.confirmModal ?? true,
    toasts: [],
    modals: [],
    navigations: [],
    calls: [],
    maps: [],
    scrolls: [],
    requests: [],
    subscriptions: [],
    uploads: [],
    photosToPick: 1,
    documents: [],
    storage: new Map(),
    wx: {},
    setOnline(on) {
      phone.online = on;
      for (const l of networkListeners) l({ isConnected: on, networkType: on ? 'wifi' : 'none' });
    },
    async idle() {
      for (let quiet = 0; quiet < 3; ) {
        await new Promise((r) => setTimeout(r, inflight ? 5 : 0));
        quiet = inflight === 0 ? quiet + 1 : 0;
      }
    },
  };
  phone.wx = {
    request(o: { url: string; method?: string; header?: Record<string, string>; data?: unknown } & Callbacks<{ statusCode: number; data: unknown; header: Record<string, string> }>) {
      const method = o.method ?? 'GET';
      const headers = o.header ?? {};
      phone.requests.push({ method, url: o.url, data: o.data, headers });
      inflight++;
      const url = o.url.startsWith(apiBase) ? opts.apiUrl + o.url.slice(apiBase.length) : o.url;
      const send = phone.online
        ? fetch(url, { method, headers, body: o.data === undefined || method === 'GET' ? undefined : JSON.stringify(o.data) })
        : Promise.reject(new Error('offline'));
      send
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          try {
            data = text ? JSON.parse(text) : '';
          } catch {
            // not JSON: wx.request hands over the text
          }
          o.success?.({ statusCode: res.status, data, header: Object.fromEntries(res.headers) });
        })
        .catch(() => o.fail?.({ errMsg: 'request:fail' }))
        .finally(() => {
          o.complete?.();
          inflight--;
        });
      return { abort() {} };
    },
    login: (o: Callbacks<{ code: string }>) => done(o, { code: `dev:${opts.openid}` }),
    getStorageSync: (k: string) => phone.storage.get(k) ?? '',
    setStorageSync: (k: string, v: unknown) => void phone.storage.set(k, v),
    removeStorageSync: (k: string) => void phone.storage.delete(k),
    showToast: (o: { title: string; icon?: string } & Callbacks<object>) => {
      phone.toasts.push({ title: o.title, icon: o.icon });
      return done(o, {});
    },
    showModal: (o: { title?: string; content?: string } & Callbacks<{ confirm: boolean; cancel: boolean }>) => {
      phone.modals.push({ title: o.title, content: o.content });
      return done(o, { confirm: phone.confirmModal, cancel: !phone.confirmModal });
    },
    showLoading: (o?: Callbacks<object>) => done(o, {}),
    hideLoading: (o?: Callbacks<object>) => done(o, {}),
    stopPullDownRefresh: (o?: Callbacks<object>) => done(o, {}),
    setNavigationBarTitle: (o?: Callbacks<object>) => done(o, {}),
    navigateTo: (o: { url: string } & Callbacks<object>) => {
      phone.navigations.push(o.url);
      return done(o, {});
    },
    pageScrollTo: (o: { selector?: string; scrollTop?: number } & Callbacks<object>) => {
      phone.scrolls.push(o.selector ?? String(o.scrollTop ?? 0));
      return done(o, {});
    },
    getAppBaseInfo: () => ({ fontSizeScaleFactor: opts.fontScale ?? 1, SDKVersion: '3.7.0', language: 'zh_CN', theme: 'light' }),
    openLocation: (o: { latitude: number; longitude: number; name?: string; address?: string } & Callbacks<object>) => {
      phone.maps.push({ latitude: o.latitude, longitude: o.longitude, name: o.name, address: o.address });
      return done(o, {});
    },
    makePhoneCall: (o: { phoneNumber: string } & Callbacks<object>) => {
      phone.calls.push(o.phoneNumber);
      return done(o, {});
    },
    switchTab: (o: { url: string } & Callbacks<object>) => {
      phone.navigations.push(o.url);
      return done(o, {});
    },
    redirectTo: (o: { url: string } & Callbacks<object>) => {
      phone.navigations.push(o.url);
      return done(o, {});
    },
    navigateBack: (o?: Callbacks<object>) => {
      phone.navigations.push('back');
      return done(o, {});
    },
    // No scanResult: the camera read nothing (the user backed out), as wx.scanCode then fails.
    scanCode: (o: Callbacks<{ result: string; scanType: string }>) => {
      if (phone.scanResult) return done(o, { result: phone.scanResult, scanType: 'QR_CODE' });
      o.fail?.({ errMsg: 'scanCode:fail cancel' });
      o.complete?.();
      return undefined;
    },
    chooseMedia: (o: { count?: number } & Callbacks<{ tempFiles: { tempFilePath: string; size: number; fileType: string }[] }>) => {
      const n = Math.min(phone.photosToPick, o.count ?? 9);
      if (n === 0) {
        o.fail?.({ errMsg: 'chooseMedia:fail cancel' });
        return undefined;
      }
      const dir = mkdtempSync(join(tmpdir(), 'wx-photo-'));
      const tempFiles = Array.from({ length: n }, (_, i) => {
        const tempFilePath = join(dir, `photo-${i}.jpg`);
        writeFileSync(tempFilePath, simulatedPhoto);
        return { tempFilePath, size: simulatedPhoto.length, fileType: 'image' };
      });
      return done(o, { tempFiles });
    },
    // As WeChat sends it: a multipart form with the given fields and the file under `name`.
    uploadFile: (o: { url: string; filePath: string; name: string; formData?: Record<string, string> } & Callbacks<{ statusCode: number; data: string }>) => {
      inflight++;
      const form = new FormData();
      for (const [k, v] of Object.entries(o.formData ?? {})) form.append(k, v);
      form.append(o.name, new Blob([readFileSync(o.filePath)]), o.filePath.split('/').pop());
      const send = phone.online ? fetch(o.url, { method: 'POST', body: form }) : Promise.reject(new Error('offline'));
      send
        .then(async (res) => {
          phone.uploads.push({ url: o.url, key: o.formData?.key ?? '' });
          o.success?.({ statusCode: res.status, data: await res.text() });
        })
        .catch(() => o.fail?.({ errMsg: 'uploadFile:fail' }))
        .finally(() => {
          o.complete?.();
          inflight--;
        });
      return { abort() {} };
    },
    // As WeChat does it: the file fetched to a temporary path, which wx.openDocument then shows.
    downloadFile: (o: { url: string } & Callbacks<{ statusCode: number; tempFilePath: string }>) => {
      inflight++;
      const send = phone.online ? fetch(o.url) : Promise.reject(new Error('offline'));
      send
        .then(async (res) => {
          const tempFilePath = join(mkdtempSync(join(tmpdir(), 'wx-download-')), o.url.split('?')[0]!.split('/').pop() || 'file');
          writeFileSync(tempFilePath, Buffer.from(await res.arrayBuffer()));
          o.success?.({ statusCode: res.status, tempFilePath });
        })
        .catch(() => o.fail?.({ errMsg: 'downloadFile:fail' }))
        .finally(() => {
          o.complete?.();
          inflight--;
        });
      return { abort() {} };
    },
    openDocument: (o: { filePath: string; fileType?: string } & Callbacks<object>) => {
      phone.documents.push({ fileType: o.fileType, bytes: readFileSync(o.filePath) });
      return done(o, {});
    },
    previewImage: (o: Callbacks<object>) => done(o, {}),
    requestSubscribeMessage: (o: { tmplIds: string[] } & Callbacks<Record<string, string>>) => {
      phone.subscriptions.push(o.tmplIds);
      return done(o, Object.fromEntries(o.tmplIds.map((id) => [id, 'accept'])));
    },
    onNetworkStatusChange: (l: AnyFn) => void networkListeners.push(l),
    getNetworkType: (o: Callbacks<{ networkType: string }>) => done(o, { networkType: phone.online ? 'wifi' : 'none' }),
  };
  return phone;
}

export interface SimulatedPage {
  /** The j-component tree (querySelector, dispatchEvent, data, instance, dom). */
  comp: any;
  data: Record<string, any>;
  /** All text the page shows, whitespace collapsed. */
  text(): string;
  /** Taps the first element matching the selector and waits for what it set off. */
  tap(selector: string, dataset?: Record<string, unknown>): Promise<void>;
  /** Fires an event (input, change, confirm) with a detail, and waits. */
  fire(selector: string, event: string, detail: Record<string, unknown>): Promise<void>;
  /** Calls a page lifecycle hook (onReachBottom, onPullDownRefresh, onShow) and waits. */
  lifecycle(name: string): Promise<void>;
  html(): string;
  detach(): void;
}

/**
 * The mini-program in a simulator: `open(route, query)` loads, renders and attaches a page,
 * runs onLoad(query) and onShow as WeChat would, and waits until its requests have settled.
 */
export function createSimulator(root: string) {
  const g = globalThis as any;
  installDom();
  const simulate = require('miniprogram-simulate');
  const simulatedApi = g.wx;
  const apiBase = require(join(root, 'config.js')).API_BASE as string;
  let phone: Phone | undefined;

  // WeChat's Page() as a component: data stays data, functions become methods, other fields
  // become instance fields (as Page copies them), and page hooks are called by `open`.
  g.Page = (def: Record<string, unknown>) => {
    const methods: Record<string, unknown> = {};
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(def)) {
      if (k === 'data') continue;
      (typeof v === 'function' ? methods : fields)[k] = v;
    }
    g.Component({
      data: def.data,
      methods,
      lifetimes: {
        created(this: Record<string, unknown>) {
          Object.assign(this, structuredClone(fields));
        },
      },
    });
  };
  g.getCurrentPages = () => [];

  return {
    /** A new phone (its own storage, network and user) becomes the current one. */
    usePhone(opts: PhoneOptions): Phone {
      phone = createPhone(opts, apiBase);
      g.wx = { ...simulatedApi, ...phone.wx };
      return phone;
    },
    /** The phone in use. */
    current: () => phone,
    /** Runs app.ts's App() as WeChat does at launch. */
    launchApp(): void {
      let appDef: { onLaunch?: () => void } = {};
      g.App = (def: typeof appDef) => (appDef = def);
      g.getApp = () => appDef;
      // Each launch runs app.js again (a new phone is a new launch), as simulate does for pages.
      const appJs = join(root, 'app.js');
      delete require.cache[require.resolve(appJs)];
      require(appJs);
      appDef.onLaunch?.();
    },
    /** One component of components/, on its own, with the given properties (its own test). */
    component(path: string, props: Record<string, unknown> = {}) {
      const id = simulate.load(join(root, path), { rootPath: root });
      const comp = simulate.render(id, props);
      const parent = g.document.createElement('div');
      g.document.body.appendChild(parent);
      comp.attach(parent);
      const events: { name: string; detail: unknown }[] = [];
      return {
        comp,
        events,
        /** The component's `change`-style events, as a page binding them would receive them. */
        listen(name: string) {
          comp.addEventListener(name, (e: { detail: unknown }) => events.push({ name, detail: e.detail }));
        },
        text: () => (comp.dom.textContent as string).replace(/\s+/g, ' ').trim(),
        async tapAll(selector: string, index: number) {
          comp.querySelectorAll(selector)[index].dispatchEvent('tap');
          await simulate.sleep(0);
        },
        setProps(next: Record<string, unknown>) {
          comp.setData(next);
        },
        detach: () => comp.detach(),
      };
    },
    async open(route: string, query: Record<string, string> = {}): Promise<SimulatedPage> {
      if (!phone) throw new Error('usePhone first');
      const current = phone;
      const id = simulate.load(join(root, route.replace(/^\//, '')), 'page', { rootPath: root });
      const comp = simulate.render(id);
      const parent = g.document.createElement('div');
      g.document.body.appendChild(parent);
      comp.attach(parent);
      await comp.instance.onLoad?.(query);
      await comp.instance.onShow?.();
      await current.idle();
      const settle = () => current.idle();
      // "person-card .call": into a custom component's own tree, as a finger reaches it.
      const find = (selector: string) => {
        const [host, ...inner] = selector.split(' >>> ');
        let node = comp.querySelector(host);
        for (const part of inner) node = node?.querySelector(part);
        return node;
      };
      return {
        comp,
        get data() {
          return comp.data;
        },
        text: () => (comp.dom.textContent as string).replace(/\s+/g, ' ').trim(),
        async tap(selector, dataset) {
          const node = find(selector);
          if (!node) throw new Error(`nothing matches ${selector} on ${route}`);
          node.dispatchEvent('tap', dataset ? { detail: {}, currentTarget: { dataset } } : undefined);
          await settle();
        },
        async fire(selector, event, detail) {
          const node = find(selector);
          if (!node) throw new Error(`nothing matches ${selector} on ${route}`);
          node.dispatchEvent(event, { detail });
          await settle();
        },
        async lifecycle(name) {
          await comp.instance[name]?.();
          await settle();
        },
        html: () => comp.dom.outerHTML as string,
        detach: () => {
          comp.detach();
          parent.remove();
        },
      };
    },
  };
}
