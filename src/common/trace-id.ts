import { randomUUID } from 'node:crypto';

const SANE_TOKEN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's trace id: the caller's X-Request-Id when it is a sane token, else a new UUID. */
export function traceIdFor(headers: Record<string, string | string[] | undefined>): string {
  const incoming = headers['x-request-id'];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && SANE_TOKEN.test(value) ? value : randomUUID();
}

/** Fastify's genReqId: the trace id, also kept as `id` on Node's request, where pino-http reads it for the log lines. */
export function assignTraceId(request: { headers: Record<string, string | string[] | undefined>; id?: unknown }): string {
  const traceId = traceIdFor(request.headers);
  request.id = traceId;
  return traceId;
}
