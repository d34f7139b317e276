import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { Logger } from 'pino';
import { ApiError } from './api-error';
import { ErrorCode } from './error-codes';
import { errorEnvelope } from './error-envelope.filter';
import { logRefusedRequest } from './logging';

type Headers = Readonly<Record<string, string>>;

/**
 * Fastify's `frameworkErrors`: the router answers a URL it cannot decode (`%zz`) or an over-long path parameter
 * before any hook or Nest filter runs, so the envelope, the trace id, the security headers and the log line are
 * given here.
 */
export function answerFrameworkError(headers: Headers, logger: Logger): NonNullable<FastifyServerOptions['frameworkErrors']> {
  const answerError = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const answer =
      error.code === 'FST_ERR_BAD_URL'
        ? new ApiError(ErrorCode.BAD_REQUEST, 'The URL cannot be decoded: "%" must start a percent-encoded UTF-8 character')
        : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new ApiError(ErrorCode.BAD_REQUEST, 'A path segment of the URL is too long')
          : new ApiError(ErrorCode.INTERNAL_ERROR, 'Internal server error');
    reply.headers(headers).header('X-Trace-Id', request.id).status(answer.status).send(errorEnvelope(answer, request.id));
    logRefusedRequest(logger, request.id, { method: request.method, url: request.url, statusCode: answer.status, durationMs: Math.round(reply.elapsedTime), reason: error.code });
  };
  // Fastify types the option generic over route types; a router error has no route, so the plain types hold.
  return answerError as NonNullable<FastifyServerOptions['frameworkErrors']>;
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused the bytes (not HTTP, a header too large, a bad chunk),
 * so there is no request to route; the connection gets the envelope, with a new trace id, and is closed.
 */
export function answerClientError(headers: Headers, logger: Logger) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    // A reset connection has no one to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const answer =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? new ApiError(ErrorCode.REQUEST_HEADER_TOO_LARGE, 'The request line and headers are too large (a URL must stay well under 16 KB)')
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? new ApiError(ErrorCode.REQUEST_TIMEOUT, 'The request did not arrive in time')
          : new ApiError(ErrorCode.BAD_REQUEST, 'Malformed HTTP request');
    const traceId = randomUUID();
    const body = JSON.stringify(errorEnvelope(answer, traceId));
    const head = [
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Trace-Id: ${traceId}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'Connection: close',
    ];
    // As Node does: never write into the middle of a response already under way on this connection.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
    socket.destroy(error);
    logRefusedRequest(logger, traceId, { statusCode: answer.status, reason: error.code ?? error.message });
  };
}
