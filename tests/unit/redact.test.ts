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

  it('masks numbers run into letters or Chinese on either side', () => {
    expect(redactText('520000195501010018abc')).toBe('5200**********0018abc');
    expect(redactText('id520000195501010018')).toBe('id5200**********0018');
    expect(redactText('身份证52000019550101001X号')).toBe('身份证5200**********001X号');
    expect(redactText('tel13812345678ext')).toBe('tel138****5678ext');
    // Longer digit runs are not personal numbers of either kind: left alone.
    expect(redactText('1234567890123456789')).toBe('1234567890123456789');
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
    const idNumber = demoPersonalNumbers().find((n) => n.length === 18)!;
    const lines: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk));
      return write.call(process.stdout, chunk);
    }) as typeof process.stdout.write;
    try {
      logger.info(`居民来电 ${phone}`, { contact: { phone, note: `回拨 ${phone}` } });
      // A roster cell with an ID number typed straight into a tag (seen echoed unmasked before).
      logger.info('roster refused', { details: [{ message: `未知标签「${idNumber}abc」` }] });
    } finally {
      process.stdout.write = write;
    }
    const line = lines.join('');
    expect(line).not.toContain(phone);
    expect(line).not.toContain(idNumber);
    expect(line).toContain(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}abc`);
    expect(line).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(line).toContain('[REDACTED]');
  });
});
