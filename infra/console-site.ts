/**
 * What the console's static site is answered with, the same locally and behind CloudFront: one
 * content security policy (scripts only from the site itself; inline styles are needed by Vue's
 * style bindings and ECharts' tooltips; the QR code is inline SVG), no framing, no sniffing. The
 * page talks to its own origin and to one more: the private bucket, where a roster file is posted
 * straight from the browser (a presigned POST) — `uploadOrigin`, the bucket's regional endpoint.
 */
export const consoleSecurityHeaders = {
  contentSecurityPolicy: (uploadOrigin: string) =>
    `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ${uploadOrigin}; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'`,
  referrerPolicy: 'same-origin',
  frameOptions: 'DENY',
  hstsMaxAgeSeconds: 63_072_000,
} as const;

/** The same policy as HTTP headers, for the local server. */
export function consoleHeaderMap(uploadOrigin: string): Record<string, string> {
  return {
    'content-security-policy': consoleSecurityHeaders.contentSecurityPolicy(uploadOrigin),
    'referrer-policy': consoleSecurityHeaders.referrerPolicy,
    'x-frame-options': consoleSecurityHeaders.frameOptions,
    'x-content-type-options': 'nosniff',
  };
}

/** Where the console is served, relative to the site root (Vite's `base`). */
export const consolePath = '/console/';
