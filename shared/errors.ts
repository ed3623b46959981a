/**
 * The one error hierarchy. Every error a caller can see is an AppError with a stable code,
 * an HTTP status, a Chinese message for the person holding the phone, and (for 4xx) the
 * fields at fault. Anything else that escapes a handler is an internal fault: logged in
 * full, answered as a generic 500 that leaks nothing.
 */
export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. "body.fields.amount" or "query.limit". */
  field: string;
  /** Machine-readable reason, e.g. "too_small", "required". */
  reason: string;
  /** Chinese explanation for this field. */
  message: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  /** Whether the message and details may be shown to the caller. */
  readonly expose: boolean;
  readonly details: ErrorDetail[];

  constructor(
    code: string,
    status: number,
    message: string,
    opts: { details?: ErrorDetail[]; expose?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.expose = opts.expose ?? status < 500;
    this.details = opts.details ?? [];
  }
}

export class ValidationError extends AppError {
  constructor(details: ErrorDetail[], message = '提交的内容有误，请检查标出的项目') {
    super('VALIDATION_FAILED', 400, message, { details });
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(code, 400, message, { details });
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'UNAUTHENTICATED', message = '登录已失效，请重新登录') {
    super(code, 401, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'FORBIDDEN', message = '您没有权限进行此操作') {
    super(code, 403, message);
  }
}

export class NotFoundError extends AppError {
  constructor(code = 'NOT_FOUND', message = '没有找到相关内容') {
    super(code, 404, message);
  }
}

/** A pagination cursor that this service did not issue for this very query and caller. */
export class InvalidCursorError extends BadRequestError {
  constructor() {
    super('INVALID_CURSOR', '翻页参数无效，请从第一页重新加载', [{ field: 'query.cursor', reason: 'invalid', message: '翻页参数无效' }]);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(code, 409, message, { details });
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super('PAYLOAD_TOO_LARGE', 413, `提交的内容过大（上限 ${Math.floor(limitBytes / 1024)} KB）`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super('UNSUPPORTED_MEDIA_TYPE', 415, '请以 JSON 格式提交');
  }
}

export class TooManyRequestsError extends AppError {
  constructor(code: string, message: string) {
    super(code, 429, message);
  }
}

export class DependencyError extends AppError {
  constructor(code: string, cause: unknown) {
    super(code, 503, '服务暂时繁忙，请稍后再试', { cause, expose: true });
  }
}

export class InternalError extends AppError {
  constructor(cause?: unknown) {
    super('INTERNAL', 500, '系统出了点问题，请稍后再试', { cause, expose: false });
  }
}

/** The v1 error body. Internal faults are reduced to their generic code and message. */
export function toErrorBody(err: AppError): { error: { code: string; message: string; details: ErrorDetail[] } } {
  if (!err.expose) {
    const generic = new InternalError();
    return { error: { code: generic.code, message: generic.message, details: [] } };
  }
  return { error: { code: err.code, message: err.message, details: err.details } };
}

export function asAppError(err: unknown): AppError {
  return err instanceof AppError ? err : new InternalError(err);
}
