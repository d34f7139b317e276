import { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';
import { ErrorCode } from './error-codes';

/** Route config: `securityHeaders: false` leaves them off (a probe that must cost nothing reads none). */
export interface RouteHeaderOptions {
  securityHeaders?: boolean;
}

/**
 * Every response carries `headers` (the security headers) and the trace id as X-Trace-Id. An HTTP/1.1 request
 * without a Host header is refused here, in the envelope (Node's own refusal, an empty 400, is turned off: see
 * `requireHostHeader` in app.factory.ts). A callback-style hook: it runs on every request. Each request's log line is
 * written by pino-http (src/common/logging.ts).
 */
export function registerRequestHooks(fastify: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if ((request.routeOptions.config as RouteHeaderOptions | undefined)?.securityHeaders !== false) reply.headers(headers);
    reply.header('X-Trace-Id', request.id);
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      return done(new ApiError(ErrorCode.BAD_REQUEST, 'An HTTP/1.1 request must carry a Host header'));
    }
    done();
  });
}
