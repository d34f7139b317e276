import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, ERROR_STATUS } from './api-error';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-codes';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_REQUEST,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  408: ErrorCode.REQUEST_TIMEOUT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.BAD_REQUEST,
  429: ErrorCode.RATE_LIMITED,
  431: ErrorCode.REQUEST_HEADER_TOO_LARGE,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

/**
 * Turns every failure into the one error envelope; internals (SQL, stacks) are logged, never sent. The one place
 * where a domain error (a DomainError with its code) becomes an HTTP status: see ERROR_STATUS.
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = this.toApiError(exception, request);
    reply.status(error.status).send(errorEnvelope(error, request.id));
  }

  private toApiError(exception: unknown, request: FastifyRequest): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof DomainError) {
      const answer = ApiError.fromDomainError(exception);
      // A 5xx the domain named (an import the database stopped): the client gets the public message, the log the cause.
      if (answer.status >= 500) this.logger.warn(`${exception.name} on ${request.method} ${request.url} [${request.id}]: ${exception.message}`);
      return answer;
    }
    const status = statusOf(exception);
    if (status !== undefined && status < 500) {
      const code = CODE_BY_STATUS[status] ?? ErrorCode.BAD_REQUEST;
      return new ApiError(code, clientMessage(exception, code));
    }
    if (status === 503 || isDatabaseUnavailable(exception)) {
      this.logger.warn(`Database unavailable on ${request.method} ${request.url} [${request.id}]: ${(exception as Error)?.message}`);
      return new ApiError(ErrorCode.SERVICE_UNAVAILABLE, 'The service is temporarily unavailable; retry shortly');
    }
    this.logger.error(
      `Unhandled error on ${request.method} ${request.url} [${request.id}]: ${(exception as Error)?.stack ?? exception}`,
    );
    return new ApiError(ErrorCode.INTERNAL_ERROR, 'Internal server error');
  }
}

export function errorEnvelope(error: ApiError, traceId: string) {
  return {
    ok: false as const,
    error: { code: error.code, message: error.message, ...(error.unknown ? { unknown: error.unknown } : {}) },
    traceId,
  };
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const candidate = (exception as { statusCode?: unknown })?.statusCode;
  return typeof candidate === 'number' && candidate >= 400 && candidate < 600 ? candidate : undefined;
}

function clientMessage(exception: unknown, code: ErrorCode): string {
  if (code === ErrorCode.PAYLOAD_TOO_LARGE) return 'Request body is too large';
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  // Fastify's own client errors (bad JSON, wrong content type) carry safe messages.
  const fastifyCode = (exception as { code?: unknown })?.code;
  if (typeof fastifyCode === 'string' && fastifyCode.startsWith('FST_')) return (exception as Error).message;
  return ERROR_STATUS[code] === 404 ? 'Not found' : 'Bad request';
}

// Connection refused/reset, pool or connect timeouts, a closed connection, a server shutting down, a statement timeout.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '57014', '08006', '08001', '08003']);
const UNAVAILABLE_MESSAGES = /Connection terminated|Cannot use a pool after calling end|timeout exceeded when trying to connect|database connection is not open|Client has encountered a connection error|Driver not Connected|Query read timeout/i;

/** True when a failure means the database cannot answer now (503), not that the request or the code is wrong. */
export function isDatabaseUnavailable(exception: unknown): boolean {
  const error = exception as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } };
  const codes = [error?.code, error?.driverError?.code].filter((code): code is string => typeof code === 'string');
  if (codes.some((code) => UNAVAILABLE_CODES.has(code))) return true;
  const messages = [error?.message, error?.driverError?.message].filter((message): message is string => typeof message === 'string');
  return messages.some((message) => UNAVAILABLE_MESSAGES.test(message));
}
