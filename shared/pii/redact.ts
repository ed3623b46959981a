/**
 * Personal numbers must never reach a log line. These patterns catch them wherever they hide
 * (a message, an error, a nested field); the field names catch the rest (tokens, secrets).
 */
// Bounded by non-digits only: a number run into letters ("…0018abc", "身份证520…") is still a number.
const mainlandMobile = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const residentIdNumber = /(?<!\d)(\d{4})\d{10}(\d{3}[\dXx])(?!\d)/g;
const sensitiveKeys = /^(phone|mobile|tel|idNumber|idCard|id_number|authorization|token|secret|password|sessionKey|session_key|jsCode|js_code)$/i;

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function maskIdNumber(id: string): string {
  return id.length >= 8 ? `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}` : '****';
}

export function redactText(text: string): string {
  return text.replace(residentIdNumber, '$1**********$2').replace(mainlandMobile, '$1****$2');
}

/** JSON replacer for the logger: sensitive fields dropped, numbers in free text masked. */
export function redactingReplacer(key: string, value: unknown): unknown {
  if (key && sensitiveKeys.test(key) && value !== undefined && value !== null && typeof value !== 'object') return '[REDACTED]';
  if (typeof value === 'string') return redactText(value);
  return value;
}
