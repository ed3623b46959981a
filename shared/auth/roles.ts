import * as z from 'zod';

/** The roles of DESIGN.md section 6. */
export const roles = [
  'resident',
  'volunteer',
  'grid_worker',
  'community_staff',
  'street_staff',
  'legal_officer',
  'volunteer_lead',
  'employer',
  'admin',
] as const;

export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;
