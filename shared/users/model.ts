import * as z from 'zod';

import { type Principal,scopeBindingSchema } from '../auth/principal';
import { roleSchema } from '../auth/roles';
import type { SealedValue } from '../pii/crypto';

/** Scope bindings that come with a role. */
export const scopeFields = scopeBindingSchema.keyof().options;

/** A user is their principal (roles and scope bindings) plus what only the record holds. */
export interface User extends Principal {
  openid: string;
  name: string;
  phone?: SealedValue;
  phoneMasked?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function principalOf(u: User): Principal {
  return {
    userId: u.userId,
    roles: u.roles,
    ...Object.fromEntries(scopeFields.filter((f) => u[f] !== undefined).map((f) => [f, u[f]])),
  };
}

/** What a user sees of themselves and what an admin sees of a user: numbers only masked. */
export const userViewSchema = z.object({
  userId: z.string(),
  name: z.string(),
  roles: z.array(roleSchema),
  ...scopeBindingSchema.shape,
  phoneMasked: z.string().nullable(),
});
export type UserView = z.infer<typeof userViewSchema>;

export function viewOf(u: User): UserView {
  return {
    userId: u.userId,
    name: u.name,
    roles: u.roles,
    ...Object.fromEntries(scopeFields.filter((f) => u[f] !== undefined).map((f) => [f, u[f]])),
    phoneMasked: u.phoneMasked ?? null,
  };
}
