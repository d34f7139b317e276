import { Logger, LogLevel } from '@nestjs/common';
import { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';
import { ErrorCode } from './error-codes';

/** Route config: `securityHeaders: false` leaves them off (a probe that must cost nothing reads none). */
export interface RouteHeaderOptions {
  securityHeaders?: boolean;
}

/** What one request's log line says. `reason` names why a request was refused before it could be routed. */
export interface RequestLogEntry {
  traceId: string;
  status: number;
  method?: string;
  path?: string;
  durationMs?: number;
  reason?: string;
}

export type RequestLog = (entry: RequestLogEntry) => void;

/**
 * One line per request with its trace id: at error level when it ended in 5xx (the service failed), else at log
 * level (a 4xx is the client's mistake, answered as designed). JSON fields when `structured`, else one sentence.
 */
export function createRequestLog(structured: boolean): RequestLog {
  const logger = new Logger('HTTP');
  return ({ durationMs, ...entry }) => {
    const level: LogLevel = entry.status >= 500 ? 'error' : 'log';
    if (!Logger.isLevelEnabled(level)) return;
    const parts = [entry.method ?? 'unparsed request', entry.path, entry.status, durationMs?.toFixed(1).concat('ms'), entry.reason && `(${entry.reason})`];
    const message = `${parts.filter((part) => part !== undefined).join(' ')} [${entry.traceId}]`;
    const line = structured ? { message, ...entry, ...(durationMs === undefined ? {} : { durationMs: Number(durationMs.toFixed(2)) }) } : message;
    if (level === 'error') logger.error(line);
    else logger.log(line);
  };
}

/**
 * Every response carries `headers` (the security headers) and the trace id as X-Trace-Id, and each request is
 * written to `log` once with its status and duration. An HTTP/1.1 request without a Host header is refused here,
 * in the envelope (Node's own refusal, an empty 400, is turned off: see `requireHostHeader` in app.factory.ts).
 * Callback-style hooks: they run on every request.
 */
export function registerRequestHooks(fastify: FastifyInstance, log: RequestLog, headers: Readonly<Record<string, string>>): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if ((request.routeOptions.config as RouteHeaderOptions | undefined)?.securityHeaders !== false) reply.headers(headers);
    reply.header('X-Trace-Id', request.id);
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      return done(new ApiError(ErrorCode.BAD_REQUEST, 'An HTTP/1.1 request must carry a Host header'));
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    log({ traceId: request.id, method: request.method, path: request.url, status: reply.statusCode, durationMs: reply.elapsedTime });
    done();
  });
}
