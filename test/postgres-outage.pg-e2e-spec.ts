import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseDatabaseUrl } from '../src/config/database-url';
import { freePort } from './support/service-process';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp } from './support/test-app';

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

describe('readiness follows PostgreSQL going down and coming back', () => {
  jest.setTimeout(60_000);
  let app: NestFastifyApplication;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const target = parseDatabaseUrl(process.env.TEST_DATABASE_URL!, 'TEST_DATABASE_URL');
    if (target.type !== 'postgres') throw new Error('this spec needs PostgreSQL');
    proxy = new TcpProxy({ host: target.host, port: target.port }, await freePort());
    await proxy.start();
    const viaProxy = new URL(process.env.TEST_DATABASE_URL!.replace(/^postgres(ql)?(\+\w+)?:/, 'postgresql:'));
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    app = await startTestApp({
      TEST_DATABASE_URL: viaProxy.toString(),
      HEALTH_DB_TIMEOUT_MS: '1000',
      DB_CONNECT_TIMEOUT_MS: '1000',
    });
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
    const search = await app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload: { product: 'crib' } });
    expect(search.statusCode).toBe(503);
    expect(search.json().error.code).toBe('SERVICE_UNAVAILABLE');

    await proxy.start();
    await statusWithin(app, '/health/ready', 200, 10_000);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'healthy', database: 'connected' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload: { product: 'crib' } })).statusCode).toBe(200);
  });
});
