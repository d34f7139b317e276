import { FastifyReply, FastifyRequest } from 'fastify';

/** The success envelope: {ok, data, traceId}; list responses add responseTimeMs. */
export function envelope<T>(request: FastifyRequest, data: T) {
  return { ok: true as const, data, traceId: request.id };
}

export function listEnvelope<T>(request: FastifyRequest, reply: FastifyReply, data: T) {
  return { ...envelope(request, data), responseTimeMs: Math.round(reply.elapsedTime * 100) / 100 };
}
