import { Client, ClientConfig } from 'pg';

/** pg's message when `query_timeout` passes without an answer from the server. */
export const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/** What the clients of one pool know together: when one of them last waited for an answer in vain. */
export interface PoolHealth {
  lastQueryTimeoutAt: number;
}

export interface PoolClientConfig extends ClientConfig {
  poolHealth?: PoolHealth;
}

/**
 * The pool's pg client. A query that timed out client-side leaves its connection waiting for an answer that may
 * never come (a black-holed network): every later query on it would queue behind that one. TypeORM releases a
 * query runner's client to the pool without the error, so the pool would keep it; this client closes its own
 * connection instead, and the pool drops a closed client on release (a new one connects on demand).
 *
 * Once one connection of the pool has timed out, the others that have not answered since are suspect (they are
 * likely cut off too): their next query gets only the connect timeout to answer, so that requests during an outage
 * fail about as fast as new connections do, instead of each waiting the full query timeout on a dead socket.
 */
export class EvictingClient extends Client {
  private readonly poolHealth: PoolHealth;
  private readonly suspectTimeoutMs: number;
  private lastAnswerAt = Date.now();

  constructor(config: PoolClientConfig) {
    super(config);
    this.poolHealth = config.poolHealth ?? { lastQueryTimeoutAt: 0 };
    this.suspectTimeoutMs = config.connectionTimeoutMillis ?? 0;
  }

  query(...args: unknown[]): any {
    if (typeof args[0] === 'string' && this.suspectTimeoutMs > 0 && this.poolHealth.lastQueryTimeoutAt > this.lastAnswerAt) {
      args[0] = { text: args[0], query_timeout: this.suspectTimeoutMs };
    }
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (error: Error | undefined, ...rest: unknown[]) => void;
      args[last] = (error: Error | undefined, ...rest: unknown[]) => {
        this.settled(error);
        callback(error, ...rest);
      };
    }
    const result = (super.query as (...queryArgs: unknown[]) => unknown)(...args);
    if (result instanceof Promise) result.then(() => this.settled(undefined), (error: Error) => this.settled(error));
    return result;
  }

  private settled(error: Error | undefined): void {
    if (error?.message !== QUERY_TIMEOUT_MESSAGE) {
      this.lastAnswerAt = Date.now(); // a result or an error from the server: this connection is alive
      return;
    }
    this.poolHealth.lastQueryTimeoutAt = Date.now();
    // With a query still in flight, end() destroys the socket rather than waiting for the server.
    this.end().catch(() => undefined);
  }
}
