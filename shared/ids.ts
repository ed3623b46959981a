import { randomBytes } from 'node:crypto';

import { encodeTime } from 'ulid';

import { beijingDate } from './time';

/**
 * Ids people read out on the phone: a letter, the date in Beijing (yymmdd) and six base-32
 * characters, e.g. R261129A3K9QZ. About a billion per day and prefix; creation is conditional,
 * so a collision fails loudly instead of overwriting.
 */
export function readableId(prefix: string, now: Date): string {
  const day = beijingDate(now).slice(2).replaceAll('-', '');
  return `${prefix}${day}${encodeTime(randomBytes(4).readUInt32BE(0), 6)}`;
}
