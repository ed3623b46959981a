import * as z from 'zod';
import zhCN from 'zod/v4/locales/zh-CN.js';

import { type ErrorDetail,ValidationError } from './errors';

// Residents read these messages: zod's own Chinese locale, set once per process.
z.config(zhCN());

export function issuesToDetails(issues: readonly z.core.$ZodIssue[], location: string): ErrorDetail[] {
  return issues.map((issue) => ({
    field: [location, ...issue.path.map(String)].filter(Boolean).join('.'),
    reason: issue.code,
    message: issue.message,
  }));
}

/** Parses untrusted input at the boundary; failures become a 400 naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, location: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(issuesToDetails(result.error.issues, location));
  return result.data;
}
