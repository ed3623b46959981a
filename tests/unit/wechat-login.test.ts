import { afterEach, describe, expect, it } from 'vitest';

import { code2Session, devCode2Session, wechatCode2Session } from '../../shared/auth/wechat';

const stage = process.env.STAGE;
afterEach(() => {
  process.env.STAGE = stage;
});

describe('code2session providers', () => {
  it('uses the dev provider only in the local and test stages', async () => {
    process.env.STAGE = 'local';
    expect(code2Session()).toBe(devCode2Session);
    expect(await code2Session().exchange('dev:abc')).toEqual({ openid: 'abc' });
    process.env.STAGE = 'prod';
    expect(code2Session()).toBe(wechatCode2Session);
  });

  it('treats a missing stage as a deployed one: no dev logins', async () => {
    delete process.env.STAGE;
    expect(code2Session()).toBe(wechatCode2Session);
    await expect(devCode2Session.exchange('dev:admin')).rejects.toMatchObject({ status: 401, code: 'DEV_LOGIN_REFUSED' });
  });

  it('refuses dev codes in a deployed stage, even if called directly', async () => {
    process.env.STAGE = 'prod';
    await expect(devCode2Session.exchange('dev:admin')).rejects.toMatchObject({ status: 401, code: 'DEV_LOGIN_REFUSED' });
    // The WeChat provider rejects a dev-shaped code before any network call.
    await expect(wechatCode2Session.exchange('dev:admin')).rejects.toMatchObject({ status: 401, code: 'WECHAT_CODE_INVALID' });
  });
});
