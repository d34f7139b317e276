import { Client, ClientConfig } from 'pg';

/** pg's message when `query_timeout` passes without an answer from the server. */
export const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/** The open clients of one pool (pg hands the pool's options to every client it creates). */
export type PoolClients = Set<EvictingClient>;

export interface PoolClientConfig extends ClientConfig {
  poolClients?: PoolClients;
}

/**
 * The pool's pg client. A query that timed out client-side leaves its connection waiting for an answer that may
 * never come (a black-holed network): every later query on it would queue behind that one, and TypeORM hands a
 * query runner's client back to the pool without the error, so the pool would keep it.
 *
 * So a client-side timeout closes the connection, and with it every connection of the pool that has not answered
 * since the timed-out query was sent: on a healthy server each of those would have answered (the server cancels a
 * statement at its statement timeout, below the client's), so they are most likely cut off too. Without this,
 * requests during an outage would each wait the full query timeout on a dead socket, and after the outage the
 * stale connections would fail one request each, one after the other. The pool drops closed clients and connects
 * new ones on demand.
 */
export class EvictingClient extends Client {
  private readonly siblings: PoolClients;
  private lastAnswerAt = Date.now();

  constructor(config: PoolClientConfig) {
    super(config);
    this.siblings = config.poolClients ?? new Set();
    this.siblings.add(this);
    this.once('end', () => this.siblings.delete(this));
    // cutOff() emits 'error' (the pool's listener then drops an idle client); never crash for want of a listener.
    this.on('error', () => undefined);
  }

  query(...args: unknown[]): any {
    const sentAt = Date.now();
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (error: Error | undefined, ...rest: unknown[]) => void;
      args[last] = (error: Error | undefined, ...rest: unknown[]) => {
        this.settled(error, sentAt);
        callback(error, ...rest);
      };
    }
    const result = (super.query as (...queryArgs: unknown[]) => unknown)(...args);
    if (result instanceof Promise) result.then(() => this.settled(undefined, sentAt), (error: Error) => this.settled(error, sentAt));
    return result;
  }

  private settled(error: Error | undefined, sentAt: number): void {
    if (error?.message !== QUERY_TIMEOUT_MESSAGE) {
      this.lastAnswerAt = Date.now(); // a result, or an error from the server: this connection is alive
      return;
    }
    // With a query still in flight, end() destroys the socket rather than waiting for the server.
    this.end().catch(() => undefined);
    for (const sibling of this.siblings) if (sibling !== this && sibling.lastAnswerAt < sentAt) sibling.cutOff();
  }

  /**
   * Closes the socket at once (a goodbye would wait on a dead network). The error is emitted here, not when the
   * socket reports closing: the pool removes an idle client on its 'error' at once, so the very next request
   * cannot be handed this one; a client in use is released with the error by its user (TypeORM, pool.query).
   */
  private cutOff(): void {
    this.emit('error', new Error('Connection terminated: another connection of the pool got no answer in time'));
    (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }
}
