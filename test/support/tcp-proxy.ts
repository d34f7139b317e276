import { createServer, Server, Socket, connect } from 'node:net';

const discard = () => undefined;

/**
 * A loopback TCP proxy that can be cut and restored, to play a database outage without stopping the server.
 * Two kinds of outage: stop() refuses connections and closes the open ones (a stopped database; the client
 * notices at once), blackHole() keeps every socket open but carries no byte any more (a network partition; the
 * client notices nothing until its own timeouts fire).
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** Connections that carry bytes; a black hole empties it, and what it stalled stays stalled. */
  private readonly forwarding = new Set<{ client: Socket; upstream: Socket }>();
  private blackHoled = false;

  constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  async start(): Promise<void> {
    this.blackHoled = false;
    if (this.server) return;
    this.server = createServer((client) => {
      this.track(client);
      if (this.blackHoled) {
        // Accepted, never answered: the connect handshake of the database protocol never completes.
        client.on('data', discard);
        return;
      }
      const upstream = connect(this.target.port, this.target.host);
      this.track(upstream);
      const pair = { client, upstream };
      this.forwarding.add(pair);
      client.on('close', () => this.forwarding.delete(pair));
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  /**
   * Stops carrying bytes in both directions on every open connection, without closing any of them, and accepts
   * new connections that never get an answer. start() lets new connections through again; the stalled ones
   * stay stalled, as connections lost in a partition usually are.
   */
  blackHole(): void {
    this.blackHoled = true;
    for (const { client, upstream } of this.forwarding) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.on('data', discard);
      upstream.on('data', discard);
    }
    this.forwarding.clear();
  }

  /** Refuses new connections and drops every open one, as a stopped database would. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.forwarding.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', discard);
  }
}
