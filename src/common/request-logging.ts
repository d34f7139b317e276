import { Logger } from '@nestjs/common';
import { FastifyInstance } from 'fastify';

/** One log line per request with its trace id, status and duration; the trace id also goes back as X-Trace-Id. */
export function registerRequestHooks(fastify: FastifyInstance, structured: boolean): void {
  const logger = new Logger('HTTP');
  fastify.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Trace-Id', request.id);
    return payload;
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const message = `${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms [${request.id}]`;
    if (!structured) return logger.log(message);
    logger.log({
      message,
      traceId: request.id,
      method: request.method,
      path: request.url,
      status: reply.statusCode,
      durationMs: Number(reply.elapsedTime.toFixed(2)),
    });
  });
}
