/**
 * The one switch between the local stack (development, WeChat DevTools with "不校验合法域名") and
 * the deployed API (production). Nothing else in the client knows which it talks to.
 */
export type Environment = 'local' | 'production';
export const environment: Environment = 'local';

const apiBase: Record<Environment, string> = {
  local: 'http://127.0.0.1:3000',
  production: 'https://api.example.gov.cn', // the CDK stack's ApiUrl output, behind the registered domain
};

export const API_BASE = apiBase[environment];
