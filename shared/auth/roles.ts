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

/** Roles whose holders run the grid from a desk and may sign in to the console; residents, volunteers and employers have none. */
export const consoleRoles = ['grid_worker', 'community_staff', 'street_staff', 'legal_officer', 'admin'] as const satisfies readonly Role[];
