import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { ShutdownState } from '../src/health/shutdown-state';
import { startTestApp } from './support/test-app';

describe('health probes', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers liveness without consulting dependencies', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    // A probe reads no security headers: liveness skips them (every other route sends them, readiness included).
    expect(response.headers['x-frame-options']).toBeUndefined();
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).headers['x-frame-options']).toBe('DENY');
  });

  it('is ready when the database answers and every migration is applied, on /health/ready and /readyz', async () => {
    for (const url of ['/health/ready', '/readyz']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        status: 'ok',
        details: { database: { status: 'up' }, migrations: { status: 'up', pending: 0 }, shutdown: { status: 'up' } },
      });
    }
  });

  it('keeps the original probe shape on /healthz', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'healthy', database: 'connected' });
  });

  it('answers the mobile client on /api/v1/healthz', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/healthz' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({ ok: true, status: 'healthy', timestamp: expect.any(String), version: expect.stringMatching(/^\d+\.\d+\.\d+/), service: 'babyshield-api' });
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
  });

  it('puts the same trace id in the X-Trace-Id header and the error body', async () => {
    const response = await app.inject({ method: 'GET', url: '/no/such/route' });
    expect(response.statusCode).toBe(404);
    const body = response.json();
    expect(body).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.any(String) }, traceId: expect.any(String) });
    expect(response.headers['x-trace-id']).toBe(body.traceId);
  });

  it('honours a sane X-Request-Id as the trace id and replaces an unsafe one', async () => {
    const honoured = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'mobile-4f2a.9' } });
    expect(honoured.headers['x-trace-id']).toBe('mobile-4f2a.9');
    const replaced = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': '<script>alert(1)</script>' } });
    expect(replaced.headers['x-trace-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns readiness 503 when shutting down while liveness stays 200', async () => {
    const shutdown = app.get(ShutdownState);
    shutdown.markShuttingDown();
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'error', error: { shutdown: { status: 'down' } } });
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

});

describe('health probes with the database gone', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp();
    await app.get(DataSource).destroy();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reports not ready (503) and the legacy probe says disconnected, while liveness stays 200', async () => {
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'error', error: { database: { status: 'down', message: 'database unreachable' } } });
    const legacy = await app.inject({ method: 'GET', url: '/healthz' });
    expect(legacy.statusCode).toBe(503);
    expect(legacy.json()).toEqual({ status: 'unhealthy', database: 'disconnected' });
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

  it('answers API requests with 503 SERVICE_UNAVAILABLE, never SQL or a stack trace', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload: { product: 'crib' } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      ok: false,
      error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) },
      traceId: response.headers['x-trace-id'],
    });
    expect(response.body).not.toMatch(/SELECT|recalls_fts|\.ts:|\.js:/);
  });
});
