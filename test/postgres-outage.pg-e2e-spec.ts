import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/database-url';
import { freePort } from './support/service-process';
import { TcpProxy } from './support/tcp-proxy';
import { loadConfiguration } from '../src/config/configuration';
import { startTestApp } from './support/test-app';

const CONNECT_TIMEOUT_MS = 1000;
const STATEMENT_TIMEOUT_MS = 2000; // the client-side query timeout follows: 2 s above
const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 2000;
const OUTAGE_MS = 12_000;
// Recovery is bounded by the read timeout (1 s here) plus a connect; the bound is for correctness, not speed.
const RECOVERY_BOUND_MS = 30_000;

async function statusWithin(app: NestFastifyApplication, url: string, expected: number, withinMs: number): Promise<number> {
  const started = Date.now();
  let status = 0;
  while (Date.now() - started < withinMs) {
    status = (await app.inject({ method: 'GET', url })).statusCode;
    if (status === expected) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} was still ${status} after ${withinMs} ms (wanted ${expected})`);
}

const search = (app: NestFastifyApplication) => app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload: { product: 'crib' } });

/** Fills the pool with open connections, as a service under traffic has them. */
async function warmPool(app: NestFastifyApplication, connections: number): Promise<void> {
  const dataSource = app.get(DataSource);
  await Promise.all(Array.from({ length: connections }, () => dataSource.query('SELECT pg_sleep(0.2)')));
}

async function startAppThroughProxy(env: Record<string, string> = {}): Promise<{ app: NestFastifyApplication; proxy: TcpProxy }> {
  const target = parseDatabaseUrl(process.env.TEST_DATABASE_URL!, 'TEST_DATABASE_URL');
  if (target.type !== 'postgres') throw new Error('this spec needs PostgreSQL');
  const proxy = new TcpProxy({ host: target.host, port: target.port }, await freePort());
  await proxy.start();
  const viaProxy = new URL(process.env.TEST_DATABASE_URL!.replace(/^postgres(ql)?(\+\w+)?:/, 'postgresql:'));
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  // The settings as the environment would give them: the pool's timeouts follow from them as in production.
  const app = await startTestApp(loadConfiguration({
    ...process.env,
    TEST_DATABASE_URL: viaProxy.toString(),
    HEALTH_DB_TIMEOUT_MS: '1000',
    DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    ...env,
  }));
  return { app, proxy };
}

// Generous for a loaded machine: the outage alone lasts 12 s.
jest.setTimeout(120_000);

describe('PostgreSQL going down and coming back', () => {
  let app: NestFastifyApplication;
  let proxy: TcpProxy;

  beforeAll(async () => {
    ({ app, proxy } = await startAppThroughProxy());
  });
  afterAll(async () => {
    await proxy?.stop();
    await app?.close();
  });

  it('is ready, turns 503 within a few seconds of the outage while live stays 200, and recovers without a restart', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);

    await proxy.stop();
    await statusWithin(app, '/health/ready', 503, 5000);
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'unhealthy', database: 'disconnected' });
    const failed = await search(app);
    expect(failed.statusCode).toBe(503);
    expect(failed.json().error.code).toBe('SERVICE_UNAVAILABLE');

    await proxy.start();
    await statusWithin(app, '/health/ready', 200, 10_000);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'healthy', database: 'connected' });
    expect((await search(app)).statusCode).toBe(200);
  });

  it('says "database unreachable" in the readiness body, never the database address or the driver error', async () => {
    await proxy.stop();
    try {
      await statusWithin(app, '/health/ready', 503, 5000);
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.json()).toMatchObject({ status: 'error', error: { database: { status: 'down', message: 'database unreachable' } } });
      expect(ready.body).not.toContain('127.0.0.1');
      expect(ready.body).not.toContain(String(proxy.port));
      expect(ready.body).not.toMatch(/ECONNREFUSED|connect /);
    } finally {
      await proxy.start();
      await statusWithin(app, '/health/ready', 200, 10_000);
    }
  });

  it('survives a black-holed database (sockets open, no bytes): requests fail with 503, then it recovers by itself', async () => {
    await warmPool(app, 10);
    expect((await search(app)).statusCode).toBe(200);

    const dataSource = app.get(DataSource);
    proxy.blackHole();
    const outageEnds = Date.now() + OUTAGE_MS;
    const duringOutage: number[] = [];
    let slowestAnswerMs = 0;
    let slowestSearchMs = 0;
    const timedSearch = async () => {
      const sentAt = Date.now();
      const response = await search(app);
      slowestSearchMs = Math.max(slowestSearchMs, Date.now() - sentAt);
      return response;
    };
    while (Date.now() < outageEnds) {
      const sentAt = Date.now();
      // Parallel work, as under traffic: each takes (and strands) a pool connection. Searches use the pool
      // directly; TypeORM's own queries (imports) hand their connection back through a query runner.
      const [responses, typeormFailure] = await Promise.all([
        Promise.all([timedSearch(), timedSearch(), timedSearch()]),
        dataSource.query('SELECT 1').then(() => undefined, (error: Error) => error),
      ]);
      slowestAnswerMs = Math.max(slowestAnswerMs, Date.now() - sentAt);
      expect(typeormFailure).toBeInstanceOf(Error);
      for (const response of responses) {
        expect(response.statusCode).toBe(503);
        expect(response.json().error.code).toBe('SERVICE_UNAVAILABLE');
        duringOutage.push(response.statusCode);
      }
    }
    expect(duringOutage.length).toBeGreaterThan(0);
    // Reads have the read timeout (the connect timeout, 1 s here): a request never waits for the pool's query
    // timeout, which only the TypeORM statement above (an import's kind of query) waits for.
    expect(slowestSearchMs).toBeLessThan(QUERY_TIMEOUT_MS);
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);

    await proxy.start();
    const restoredAt = Date.now();
    let searchStatus = 0;
    while (Date.now() - restoredAt < RECOVERY_BOUND_MS) {
      searchStatus = (await search(app)).statusCode;
      if (searchStatus === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const searchRecoveredMs = Date.now() - restoredAt;
    expect(searchStatus).toBe(200);
    await statusWithin(app, '/health/ready', 200, RECOVERY_BOUND_MS);
    const readyRecoveredMs = Date.now() - restoredAt;
    process.stderr.write(
      `black-holed ${OUTAGE_MS} ms: ${duringOutage.length} searches answered 503 during the outage (slowest search ${slowestSearchMs} ms, ` +
        `slowest round with a TypeORM statement ${slowestAnswerMs} ms); ` +
        `search answered 200 again ${searchRecoveredMs} ms and readiness ${readyRecoveredMs} ms after the database came back\n`,
    );
    // No stranded connection is left in the pool: twice as many parallel requests as it holds all succeed.
    const afterwards = await Promise.all(Array.from({ length: 20 }, () => search(app)));
    expect(afterwards.map((response) => response.statusCode)).toEqual(Array(20).fill(200));
    await expect(Promise.all(Array.from({ length: 20 }, () => dataSource.query('SELECT 1 AS one')))).resolves.toHaveLength(20);
  });

  it('recovers by itself when the database comes back while requests still wait on cut-off connections', async () => {
    await warmPool(app, 10);
    proxy.blackHole();
    // A burst on every open connection, then the database is back before any of them timed out.
    const stranded = Promise.all(Array.from({ length: 10 }, () => search(app)));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await proxy.start();
    const restoredAt = Date.now();
    let status = 0;
    while (status !== 200 && Date.now() - restoredAt < RECOVERY_BOUND_MS) {
      status = (await search(app)).statusCode;
    }
    const recoveredMs = Date.now() - restoredAt;
    expect(status).toBe(200);
    expect((await stranded).map((response) => response.statusCode)).toEqual(Array(10).fill(503));
    process.stderr.write(`database back after a 1 s black hole with 10 requests stranded: search answered 200 again ${recoveredMs} ms later\n`);
    const afterwards = await Promise.all(Array.from({ length: 20 }, () => search(app)));
    expect(afterwards.map((response) => response.statusCode)).toEqual(Array(20).fill(200));
  });

  it('leaves no cut-off connection in the pool: the first request after the database is back succeeds', async () => {
    await warmPool(app, 10);
    proxy.blackHole();
    // One request on one of the ten open connections: it waits for the read timeout, then fails.
    const during = await search(app);
    expect(during.statusCode).toBe(503);
    await proxy.start();
    // The nine others had not answered since that request was sent either: they were closed with it.
    expect((await search(app)).statusCode).toBe(200);
    expect(await app.get(DataSource).query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});

describe('readiness while the pool is saturated', () => {
  let app: NestFastifyApplication;
  let proxy: TcpProxy;

  beforeAll(async () => {
    ({ app, proxy } = await startAppThroughProxy({
      DB_POOL_SIZE: '3',
      DB_STATEMENT_TIMEOUT_MS: '15000',
      // The queued slow statements wait for a connection longer than the default test setting allows.
      DB_CONNECT_TIMEOUT_MS: '15000',
    }));
  });
  afterAll(async () => {
    await proxy?.stop();
    await app?.close();
  });

  it('answers 200 while every pool connection is busy with slow queries and more wait for one', async () => {
    const dataSource = app.get(DataSource);
    // Twice the pool in slow statements: every connection busy for seconds, the rest queued behind them.
    const slow = Promise.all(Array.from({ length: 6 }, () => dataSource.query('SELECT pg_sleep(4)')));
    await new Promise((resolve) => setTimeout(resolve, 500));
    try {
      for (const url of ['/health/ready', '/healthz']) {
        const response = await app.inject({ method: 'GET', url });
        expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      }
    } finally {
      await slow;
    }
  });
});
