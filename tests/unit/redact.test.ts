import { describe, expect, it } from 'vitest';
import { demoPersonalNumbers } from '../../infra/local/demo-data';
import { logger } from '../../shared/logger';
import { maskIdNumber, maskPhone, redactingReplacer, redactText } from '../../shared/pii/redact';

describe('masking', () => {
  it('keeps the first three and last four digits of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('keeps the first four and last four characters of an ID number', () => {
    expect(maskIdNumber('52262719800101123X')).toBe('5226**********123X');
  });
});

describe('log redaction', () => {
  it('masks phone and ID numbers inside free text, and leaves other numbers alone', () => {
    expect(redactText('居民 13812345678 身份证 52262719800101123X 工单 R20261128000123')).toBe(
      '居民 138****5678 身份证 5226**********123X 工单 R20261128000123',
    );
  });

  it('drops sensitive fields whatever their content, through JSON.stringify as the logger uses it', () => {
    const line = JSON.stringify(
      { phone: '13812345678', nested: { idNumber: 'x', note: '电话13912345678' }, authorization: 'Bearer abc', jsCode: 'dev:x', code: 'VALIDATION_FAILED', count: 3 },
      redactingReplacer,
    );
    expect(JSON.parse(line)).toEqual({
      phone: '[REDACTED]',
      nested: { idNumber: '[REDACTED]', note: '电话139****5678' },
      authorization: '[REDACTED]',
      jsCode: '[REDACTED]',
      code: 'VALIDATION_FAILED',
      count: 3,
    });
  });
});

describe('the logger', () => {
  it('writes a seeded phone number only masked (the run-wide leak check then finds none)', () => {
    const phone = demoPersonalNumbers()[0]!;
    const lines: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk));
      return write.call(process.stdout, chunk);
    }) as typeof process.stdout.write;
    try {
      logger.info(`居民来电 ${phone}`, { contact: { phone, note: `回拨 ${phone}` } });
    } finally {
      process.stdout.write = write;
    }
    const line = lines.join('');
    expect(line).not.toContain(phone);
    expect(line).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(line).toContain('[REDACTED]');
  });
});
