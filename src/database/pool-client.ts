import { Client } from 'pg';

/** pg's message when `query_timeout` passes without an answer from the server. */
export const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * The pool's pg client. A query that timed out client-side leaves its connection waiting for an answer that may
 * never come (a black-holed network): every later query on it would queue behind that one. TypeORM releases a
 * query runner's client to the pool without the error, so the pool would keep it; this client closes its own
 * connection instead, and the pool drops a closed client on release (a new one connects on demand).
 */
export class EvictingClient extends Client {
  query(...args: unknown[]): any {
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (error: Error | undefined, ...rest: unknown[]) => void;
      args[last] = (error: Error | undefined, ...rest: unknown[]) => {
        this.closeIfTimedOut(error);
        callback(error, ...rest);
      };
    }
    const result = (super.query as (...queryArgs: unknown[]) => unknown)(...args);
    if (result instanceof Promise) result.catch((error: Error) => this.closeIfTimedOut(error));
    return result;
  }

  private closeIfTimedOut(error: Error | undefined): void {
    if (error?.message !== QUERY_TIMEOUT_MESSAGE) return;
    // With a query still in flight, end() destroys the socket rather than waiting for the server.
    this.end().catch(() => undefined);
  }
}
