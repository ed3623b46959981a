import type * as z from 'zod';

import type { Role } from '../auth/roles';
import type { AppError } from '../errors';
import type { QueueId } from '../resources';
import type { SecretName } from '../system/grants';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Who may call a route: `public` needs no token; `authenticated` any signed-in user;
 * otherwise the list of roles (checked by the auth middleware, before any use-case runs).
 * Ownership and grid/community scope are checked in the use-cases, which know the resource.
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface RouteDefinition<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  /** Stable operation id, also the CDK construct id. */
  id: string;
  method: HttpMethod;
  /** API Gateway style template, e.g. /v1/jobs/{jobId}. */
  path: string;
  /** Module, relative to the project root, exporting `handler`. */
  handler: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Status of a successful answer. */
  status: number;
  /** The route honours an Idempotency-Key header (phones resend). */
  idempotent?: boolean;
  /** Queues the route sends to (the stack grants exactly these). */
  sends?: readonly QueueId[];
  /** Largest body this route accepts (default MAX_BODY_BYTES); Lambda's own limit is 6 MB. */
  maxBodyBytes?: number;
  /** Table access the stack grants; GET routes read, others read and write. */
  tableAccess?: 'read' | 'readwrite';
  /** Secrets beyond those every route has (jwt, piiHash, piiKey): `wechat` for the login. */
  secrets?: readonly SecretName[];
  /**
   * Another wire than the v1 JSON contract (Open311 GeoReport v2: form-encoded bodies, errors as
   * `[{code, description}]` in JSON or XML): how the pipeline reads the body and renders an error.
   * The handler answers with a `textReply` in the format it was asked for.
   */
  wire?: {
    parseBody(raw: string, contentType: string): unknown;
    renderError(err: AppError, path: string): { statusCode: number; headers: Record<string, string>; body: string };
  };
  /**
   * Private bucket access the stack grants: presign photo uploads, attach uploads to a request,
   * sign reads of photos, of the caller's exports, presign and find a roster file to import, or
   * print and sign reads of mediation agreements (the agreement routes also carry the CJK font).
   */
  photos?: 'upload' | 'attach' | 'read' | 'export' | 'import' | 'agreement';
}

/** Identity function that keeps the literal types of a route (for typed handlers). */
export function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  def: RouteDefinition<P, Q, B, R>,
): RouteDefinition<P, Q, B, R> {
  return def;
}
