import { ErrorCode, ERROR_STATUS } from './error-codes';

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

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
