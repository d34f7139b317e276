import { Logger } from '@nestjs/common';
import { FastifyInstance } from 'fastify';

/** Route config: `securityHeaders: false` leaves them off (a probe that must cost nothing reads none). */
export interface RouteHeaderOptions {
  securityHeaders?: boolean;
}

/**
 * Every response carries `headers` (the security headers) and the trace id as X-Trace-Id, and each request is
 * logged once with it, its status and duration (when the log level includes requests). Callback-style hooks:
 * they run on every request.
 */
export function registerRequestHooks(fastify: FastifyInstance, structured: boolean, headers: Readonly<Record<string, string>>): void {
  const logger = new Logger('HTTP');
  fastify.addHook('onRequest', (request, reply, done) => {
    if ((request.routeOptions.config as RouteHeaderOptions | undefined)?.securityHeaders !== false) reply.headers(headers);
    reply.header('X-Trace-Id', request.id);
    done();
  });
  if (!Logger.isLevelEnabled('log')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    const message = `${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms [${request.id}]`;
    if (!structured) logger.log(message);
    else {
      logger.log({
        message,
        traceId: request.id,
        method: request.method,
        path: request.url,
        status: reply.statusCode,
        durationMs: Number(reply.elapsedTime.toFixed(2)),
      });
    }
    done();
  });
}
