import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/** A socket counts as idle once it has carried no request for this long while draining. */
export const QUIET_SOCKET_MS = 1000;
/** How long answers keep their connection just before the listener closes (see settleBeforeClosing). */
export const SETTLE_MS = 250;

interface SocketActivity {
  inFlight: number;
  quietSince: number;
}

/**
 * Moves keep-alive clients to another pod while this one drains: once started, every answer carries
 * `Connection: close` (the client opens its next connection elsewhere), and a socket that has carried no request
 * for QUIET_SOCKET_MS is closed. A socket is never closed the moment it looks idle: a client may be sending on it
 * just then, and its request would be reset.
 */
export class ConnectionDrain {
  private readonly sockets = new Map<Socket, SocketActivity>();
  private draining = false;
  private keepAliveUntilListenerCloses = false;
  private sweep?: NodeJS.Timeout;

  /** Call before the server listens, so that every connection is seen. */
  constructor(
    private readonly server: Server,
    private readonly quietMs = QUIET_SOCKET_MS,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.set(socket, { inFlight: 0, quietSince: Date.now() });
      socket.once('close', () => this.sockets.delete(socket));
    });
    // Prepended: runs before the framework's handler, which may answer synchronously.
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      if (this.draining && !(this.keepAliveUntilListenerCloses && this.server.listening)) response.setHeader('Connection', 'close');
      const activity = this.sockets.get(request.socket);
      if (!activity) return;
      activity.inFlight += 1;
      response.once('close', () => {
        activity.inFlight -= 1;
        activity.quietSince = Date.now();
      });
    });
  }

  /** From now on answers close their connection and quiet sockets are closed, until the process ends. */
  start(): void {
    if (this.draining) return;
    this.draining = true;
    // http.Server.close() destroys every socket without a request in progress, also one accepted a moment ago
    // whose request is on its way; while draining, only quiet sockets count as idle there too.
    this.server.closeIdleConnections = () => this.closeQuietSockets();
    this.sweep = setInterval(() => this.closeQuietSockets(), Math.max(25, Math.floor(this.quietMs / 4)));
    this.sweep.unref();
  }

  /**
   * Call at the end of the grace period, just before the listener closes: until it has, answers keep their connection,
   * so clients stop reconnecting and the listen queue empties (a connection still queued when the listener closes is
   * reset by the kernel). Once the listener is closed, answers close their connection again.
   */
  async settleBeforeClosing(ms = SETTLE_MS): Promise<void> {
    this.keepAliveUntilListenerCloses = true;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  private closeQuietSockets(): void {
    const quietBefore = Date.now() - this.quietMs;
    for (const [socket, activity] of this.sockets) {
      if (activity.inFlight === 0 && activity.quietSince <= quietBefore) socket.destroy();
    }
  }
}
