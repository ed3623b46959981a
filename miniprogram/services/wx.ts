import { API_BASE } from '../config';
import { createHttp, type Storage, type Transport } from './http';

/** The wx side of the adapters: the only place the service layer touches `wx`. */
const transport: Transport = (req) =>
  new Promise((resolve, reject) => {
    wx.request({
      url: req.url,
      method: req.method as 'GET',
      header: req.headers,
      data: req.data as WechatMiniprogram.IAnyObject,
      success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: () => reject(new Error('network')),
    });
  });

export const storage: Storage = {
  get: (k) => (wx.getStorageSync(k) as string) || undefined,
  set: (k, v) => wx.setStorageSync(k, v),
  remove: (k) => wx.removeStorageSync(k),
};

const loginCode = () =>
  new Promise<string>((resolve, reject) => wx.login({ success: (r) => resolve(r.code), fail: () => reject(new Error('wx.login failed')) }));

export const http = createHttp({ baseUrl: API_BASE, transport, storage, loginCode });
