import * as z from 'zod';

import { roleSchema } from './roles';

/**
 * The signed-in caller as the token carries it. Scope ids bind a role to the part of the
 * organisation it may see: a grid worker to a grid, community staff to a community, and so on.
 */
export const scopeBindingSchema = z.object({
  gridId: z.string().optional(),
  communityId: z.string().optional(),
  streetId: z.string().optional(),
  teamId: z.string().optional(),
  workshopId: z.string().optional(),
  workerType: z.enum(['full_time', 'part_time']).optional(),
});
export const principalSchema = z.object({ userId: z.string().min(1), roles: z.array(roleSchema).min(1), ...scopeBindingSchema.shape });
export type Principal = z.infer<typeof principalSchema>;
