import { secretValue } from '../aws';
import { isLocalStage, keyConfig } from '../config';
import { DependencyError, UnauthorizedError } from '../errors';
import { logger } from '../logger';
import { assertMayUseSecret } from '../system/grants';

/** code2session: turns a wx.login code into the user's openid. */
export interface Code2Session {
  exchange(code: string): Promise<{ openid: string; unionid?: string }>;
}

/**
 * The local stand-in: `dev:<openid>` logs in as that openid. Refused in every other stage, so
 * a deployed stack can never be entered with a made-up code.
 */
export const devCode2Session: Code2Session = {
  async exchange(code) {
    if (!isLocalStage()) {
      throw new UnauthorizedError('DEV_LOGIN_REFUSED', '此环境不支持开发登录');
    }
    const m = /^dev:([A-Za-z0-9_-]{1,64})$/.exec(code);
    if (!m) throw new UnauthorizedError('WECHAT_CODE_INVALID', '微信登录凭证无效，请重新进入小程序');
    return { openid: m[1]! };
  },
};

/** WeChat's jscode2session, with the AppSecret from Secrets Manager (fetched once per cold start). */
export const wechatCode2Session: Code2Session = {
  async exchange(code) {
    // wx.login codes are short alphanumeric strings; anything else never reaches WeChat.
    if (!/^[A-Za-z0-9_-]{8,128}$/.test(code)) throw new UnauthorizedError('WECHAT_CODE_INVALID', '微信登录凭证无效，请重新进入小程序');
    const { WECHAT_APP_ID: appId, WECHAT_SECRET_ARN: secretArn } = keyConfig();
    if (!appId || !secretArn) throw new DependencyError('WECHAT_NOT_CONFIGURED', new Error('WECHAT_APP_ID / WECHAT_SECRET_ARN missing'));
    const url = new URL('https://api.weixin.qq.com/sns/jscode2session');
    url.search = new URLSearchParams({ appid: appId, secret: await secretValue(secretArn), js_code: code, grant_type: 'authorization_code' }).toString();
    let body: { openid?: string; unionid?: string; errcode?: number; errmsg?: string };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      body = (await res.json()) as typeof body;
    } catch (err) {
      throw new DependencyError('WECHAT_UNAVAILABLE', err);
    }
    if (body.errcode === 40029 || body.errcode === 40163) {
      throw new UnauthorizedError('WECHAT_CODE_INVALID', '微信登录凭证无效，请重新进入小程序');
    }
    if (body.errcode || !body.openid) {
      logger.warn('jscode2session refused', { errcode: body.errcode, errmsg: body.errmsg });
      throw new DependencyError('WECHAT_UNAVAILABLE', new Error(`jscode2session errcode ${body.errcode}`));
    }
    return { openid: body.openid, unionid: body.unionid };
  },
};

export function code2Session(): Code2Session {
  assertMayUseSecret('wechat');
  return isLocalStage() ? devCode2Session : wechatCode2Session;
}
