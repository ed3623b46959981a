import * as z from 'zod';

import { toUtcIso } from '../time';

/** One fault of an input: where (`body.title`, `line 12.id_number`), why (a stable reason), and a message in Chinese. */
export const errorDetailSchema = z.object({ field: z.string(), reason: z.string(), message: z.string() });

/** The v1 error body (DESIGN.md section 5). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().meta({ description: 'Stable machine-readable code' }),
    message: z.string().meta({ description: '给用户看的中文说明' }),
    details: z.array(errorDetailSchema),
  }),
});

/** `?limit=&cursor=` on every list route. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/**
 * An instant: accepted as ISO-8601 with any offset (`2026-12-01T09:00:00+08:00`), kept and
 * answered in UTC (`2026-12-01T01:00:00.000Z`). Stored times are compared and sorted as strings
 * (conditions, index sort keys), which is only right when they all share one offset.
 */
/** A record id (a ULID) in a path or a body; the message names what it is (请选择…, …编号无效). */
export const ulidId = (message: string) => z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { error: message });

export const isoDateTime = z.codec(z.iso.datetime({ offset: true }), z.iso.datetime(), { decode: toUtcIso, encode: (s) => s });
