import rateLimit from '@fastify/rate-limit';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiError } from './api-error';
import { ErrorCode } from './error-codes';

const PROBE_PATHS = new Set(['/health/live', '/health/ready', '/readyz', '/healthz', '/api/v1/healthz']);

/**
 * Limits requests per client address and window (probes exempt). The limiter runs as one global hook, so requests
 * to unknown paths count too (a limiter added to each route never sees them). The client address is the socket's
 * unless TRUST_PROXY names proxies (Fastify's trustProxy).
 */
export async function registerRateLimit(app: NestFastifyApplication, limit: { max: number; windowMs: number }): Promise<void> {
  const window = describeWindow(limit.windowMs);
  await app.register(rateLimit, {
    global: false,
    max: limit.max,
    timeWindow: limit.windowMs,
    allowList: (request) => PROBE_PATHS.has(request.url.split('?')[0]),
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new ApiError(ErrorCode.RATE_LIMITED, `Too many requests: ${context.max} request${context.max === 1 ? '' : 's'} per ${window}; retry later`),
        { statusCode: 429 },
      ),
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', fastify.rateLimit());
}

/** "1 minute", "90 seconds", "2 hours": the window as a person reads it. */
export function describeWindow(windowMs: number): string {
  const units: [number, string][] = [
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (windowMs % size === 0) return `${windowMs / size} ${name}${windowMs === size ? '' : 's'}`;
  }
  return `${windowMs} ms`;
}
