import { Agent, request } from 'node:http';
import { once } from 'node:events';
import { connect, Socket } from 'node:net';
import { freePort, RunningService, spawnService, waitForHttp } from './support/service-process';

/** What happened to one request sent to a draining service. */
type Outcome =
  | { kind: 'answered'; status: number; envelopeOk: boolean; connectionClose: boolean; afterSignal: boolean }
  | { kind: 'failed'; code: string; reusedSocket: boolean; afterSignal: boolean };

const CONNECTIONS = 10;

async function startService(graceMs: number): Promise<{ service: RunningService; port: number }> {
  const port = await freePort();
  const service = spawnService({
    TEST_MODE: 'true',
    PORT: String(port),
    HOST: '127.0.0.1',
    SHUTDOWN_GRACE_MS: String(graceMs),
    RATE_LIMIT_MAX: '0',
    LOG_LEVEL: 'warn',
  });
  await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 60_000).catch((error: Error) => {
    service.child.kill('SIGKILL');
    throw new Error(`${error.message}; service output:\n${service.output()}`);
  });
  return { service, port };
}

function send(agent: Agent, port: number, path: string, afterSignal: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const outgoing = request({ host: '127.0.0.1', port, path, agent });
    const fail = (error: NodeJS.ErrnoException) =>
      resolve({ kind: 'failed', code: error.code ?? error.message, reusedSocket: outgoing.reusedSocket, afterSignal });
    outgoing.on('error', fail);
    outgoing.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('error', fail);
      response.on('end', () => {
        let envelopeOk = false;
        try {
          envelopeOk = JSON.parse(body).ok === true;
        } catch {
          // not JSON, so not the envelope
        }
        resolve({ kind: 'answered', status: response.statusCode ?? 0, envelopeOk, connectionClose: response.headers.connection === 'close', afterSignal });
      });
    });
    outgoing.end();
  });
}

describe('draining on SIGTERM under keep-alive load (a real process)', () => {
  jest.setTimeout(120_000);

  it('answers every request until the listener closes: none reset on a keep-alive connection, none outside the envelope', async () => {
    const { service, port } = await startService(1500);
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const streams: Outcome[][] = [];
    let signalled = false;
    let exited = false;
    void service.exited.then(() => (exited = true));
    // Each worker keeps one connection busy until a new connection is refused (the listener has closed) or the
    // process is gone; a request count bounds it so the test always ends.
    const worker = async (stream: Outcome[]) => {
      for (let sent = 0; sent < 20_000 && !exited; sent += 1) {
        const outcome = await send(agent, port, '/api/v1/recalls?limit=5', signalled);
        stream.push(outcome);
        if (outcome.kind === 'failed' && outcome.code === 'ECONNREFUSED') return;
      }
    };
    const workers = Array.from({ length: CONNECTIONS }, () => {
      const stream: Outcome[] = [];
      streams.push(stream);
      return worker(stream);
    });
    const total = () => streams.reduce((sum, stream) => sum + stream.length, 0);
    while (total() < 20 * CONNECTIONS) await new Promise((resolve) => setTimeout(resolve, 20));
    signalled = true;
    service.child.kill('SIGTERM');
    await Promise.all(workers);
    agent.destroy();
    expect(await service.exited).toBe(0);

    const outcomes = streams.flat();
    const answered = outcomes.filter((outcome) => outcome.kind === 'answered');
    const failed = outcomes.filter((outcome) => outcome.kind === 'failed');
    const summary = {
      requests: outcomes.length,
      sentAfterSignal: outcomes.filter((outcome) => outcome.afterSignal).length,
      answeredAfterSignal: answered.filter((outcome) => outcome.afterSignal).length,
      answeredWithConnectionClose: answered.filter((outcome) => outcome.connectionClose).length,
      notOkAnswers: answered.filter((outcome) => outcome.status !== 200 || !outcome.envelopeOk).length,
      failedOnKeepAliveSocket: failed.filter((outcome) => outcome.reusedSocket).length,
      newConnectionsRefused: failed.filter((outcome) => !outcome.reusedSocket && outcome.code === 'ECONNREFUSED').length,
      newConnectionsResetAtListenerClose: failed.filter((outcome) => !outcome.reusedSocket && outcome.code !== 'ECONNREFUSED').length,
    };
    process.stdout.write(`SIGTERM under keep-alive load: ${JSON.stringify(summary)}\n`);

    expect(summary.answeredAfterSignal).toBeGreaterThan(0);
    expect(summary.answeredWithConnectionClose).toBeGreaterThan(0);
    expect(summary.notOkAnswers).toBe(0);
    expect(summary.failedOnKeepAliveSocket).toBe(0);
    // A connection fails only once the listener closes: a new one is refused, or reset by the kernel while it still
    // waited in the listen backlog (never accepted, so never read). Nothing is answered on it after that.
    for (const stream of streams) {
      const firstFailure = stream.findIndex((outcome) => outcome.kind === 'failed');
      if (firstFailure === -1) continue;
      expect(stream.slice(firstFailure).filter((outcome) => outcome.kind === 'answered')).toEqual([]);
      expect(stream.slice(firstFailure).every((outcome) => outcome.kind === 'failed' && !outcome.reusedSocket)).toBe(true);
    }
  });

  it('closes an idle keep-alive connection during the grace period, while the listener still accepts', async () => {
    const { service, port } = await startService(8000);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await send(agent, port, '/api/v1/agencies', false);
    expect(first).toMatchObject({ kind: 'answered', status: 200, connectionClose: false });
    const [idleSocket] = Object.values(agent.freeSockets).flat() as Socket[];
    expect(idleSocket).toBeDefined();
    const closedByServer = new Promise<void>((resolve) => idleSocket.once('close', () => resolve()));

    service.child.kill('SIGTERM');
    await closedByServer;
    // Still inside the grace period: a new connection is accepted and answered (readiness says not ready).
    const readiness = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(readiness.status).toBe(503);
    expect(readiness.headers.get('connection')).toBe('close');
    agent.destroy();
    expect(await service.exited).toBe(0);
  });

  it('answers a request that starts once the listener has closed as usual, not with a 503 outside the envelope', async () => {
    const { service, port } = await startService(0);
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = once(socket, 'close');
    socket.write('GET /api/v1/agencies HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // not complete yet

    service.child.kill('SIGTERM');
    await untilConnectionsAreRefused(port);
    socket.write('\r\n');
    await closed;
    const answer = Buffer.concat(chunks).toString('utf8');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toContain('"ok":true');
    expect(await service.exited).toBe(0);
  });
});

/** Resolves once a new connection to the port is refused: the listener has closed. */
async function untilConnectionsAreRefused(port: number): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const probe = connect(port, '127.0.0.1');
    const refused = await new Promise<boolean>((resolve) => {
      probe.once('connect', () => resolve(false));
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
    probe.destroy();
    if (refused) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the listener never closed');
}
