import { FastifyInstance, HTTPMethods } from 'fastify';
import { ApiError } from './api-error';
import { ErrorCode } from './error-codes';

// OPTIONS is left out: a CORS preflight is answered before routing, and no route of this API serves it.
const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * A request that no route serves, to a path that another method serves, is 405 METHOD_NOT_ALLOWED with an Allow
 * header listing those methods (in the envelope); a path that no method serves stays 404 NOT_FOUND.
 * Register after the rate limiter, so that such requests are counted too.
 */
export function registerMethodNotAllowed(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allowed = METHODS.filter((method) => method !== request.method && fastify.findRoute({ method, url: path }) !== null);
    if (allowed.length === 0) return done();
    void reply.header('Allow', allowed.join(', '));
    done(new ApiError(ErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed on this path; allowed: ${allowed.join(', ')}`));
  });
}
