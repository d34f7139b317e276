import helmet, { HelmetOptions } from 'helmet';

type HelmetMiddleware = (request: unknown, response: unknown, next: (error?: unknown) => void) => void;

/**
 * Helmet's security headers, worked out once at start-up. With no content security policy (a JSON API; Swagger
 * UI needs its inline assets) none of them depends on the request, and setting a precomputed set costs a
 * fraction of running helmet's middleware chain on every request (about 6 % of an identifier lookup's
 * throughput). The values stay helmet's own, for the options given.
 */
export function securityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  if (options.contentSecurityPolicy !== false) {
    throw new Error('securityHeaders: a content security policy may depend on the request; compute it per request');
  }
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name] = String(value)),
    removeHeader: (name: string) => void delete headers[name],
  };
  let failure: unknown;
  (helmet(options) as unknown as HelmetMiddleware)({}, response, (error) => (failure = error));
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return Object.freeze(headers);
}
