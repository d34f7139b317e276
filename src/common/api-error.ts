import { DomainError } from './domain-error';
import { ErrorCode } from './error-codes';

/** The HTTP status each error code travels with: the one place where codes meet HTTP. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.INVALID_PARAMETERS]: 400,
  [ErrorCode.INVALID_CURSOR]: 400,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.METHOD_NOT_ALLOWED]: 405,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.REQUEST_HEADER_TOO_LARGE]: 431,
  [ErrorCode.REQUEST_TIMEOUT]: 408,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.INTERNAL_ERROR]: 500,
};

/** A client-visible failure: a stable code, a human message, and optionally the unknown fields that caused it. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly unknown?: string[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The answer to a failure the domain named: its code, and the message a client may read. */
  static fromDomainError(error: DomainError): ApiError {
    return new ApiError(error.code, error.publicMessage);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
