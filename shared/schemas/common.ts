import * as z from 'zod';

/** The v1 error body (DESIGN.md section 5). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().meta({ description: 'Stable machine-readable code' }),
    message: z.string().meta({ description: '给用户看的中文说明' }),
    details: z.array(z.object({ field: z.string(), reason: z.string(), message: z.string() })),
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

/** ISO-8601 with an offset, as every time in the API is. */
export const isoDateTime = z.iso.datetime({ offset: true });
