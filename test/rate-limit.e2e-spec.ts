import { randomInt } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseTrustProxy } from '../src/config/trust-proxy';
import { AppSettings } from '../src/config/configuration';
import { startTestApp } from './support/test-app';

const randomAddress = () => `${randomInt(1, 224)}.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** A fresh app per case: the limiter's counts live in the process. */
async function withApp(settings: Partial<AppSettings>, test: (app: NestFastifyApplication) => Promise<void>): Promise<void> {
  const app = await startTestApp({ app: { rateLimit: { max: 3, windowMs: 60_000 }, trustProxy: false, ...settings } });
  try {
    await test(app);
  } finally {
    await app.close();
  }
}

describe('rate limiting at the edge', () => {
  it('does not let a client out of an exhausted limit by sending X-Forwarded-For (no proxy trusted by default)', async () => {
    await withApp({}, async (app) => {
      for (let i = 0; i < 3; i += 1) expect((await app.inject({ method: 'GET', url: '/api/v1/agencies' })).statusCode).toBe(200);
      const statuses = new Set<number>();
      for (let i = 0; i < 200; i += 1) {
        const response = await app.inject({ method: 'GET', url: '/api/v1/agencies', headers: { 'x-forwarded-for': randomAddress() } });
        statuses.add(response.statusCode);
      }
      expect([...statuses]).toEqual([429]);
    });
  });

  it('behind one ingress (TRUST_PROXY=1) limits each client by the address the ingress saw, not by what the client wrote', async () => {
    await withApp({ trustProxy: parseTrustProxy('1') }, async (app) => {
      const fromIngress = (forwardedFor: string) =>
        app.inject({ method: 'GET', url: '/api/v1/agencies', remoteAddress: '10.0.3.7', headers: { 'x-forwarded-for': forwardedFor } });
      for (let i = 0; i < 3; i += 1) expect((await fromIngress('203.0.113.9')).statusCode).toBe(200);
      expect((await fromIngress('203.0.113.9')).statusCode).toBe(429);
      // The ingress appends the address it saw; a value the client put in front of it changes nothing.
      for (let i = 0; i < 20; i += 1) expect((await fromIngress(`${randomAddress()}, 203.0.113.9`)).statusCode).toBe(429);
      // Another client behind the same ingress has its own limit.
      expect((await fromIngress('198.51.100.20')).statusCode).toBe(200);
    });
  });

  it('with TRUST_PROXY as CIDR ranges trusts X-Forwarded-For only from those proxies', async () => {
    await withApp({ trustProxy: parseTrustProxy('10.0.0.0/8') }, async (app) => {
      const request = (remoteAddress: string, forwardedFor: string) =>
        app.inject({ method: 'GET', url: '/api/v1/agencies', remoteAddress, headers: { 'x-forwarded-for': forwardedFor } });
      for (let i = 0; i < 3; i += 1) expect((await request('192.0.2.50', randomAddress())).statusCode).toBe(200);
      expect((await request('192.0.2.50', randomAddress())).statusCode).toBe(429);
      expect((await request('10.1.2.3', '192.0.2.77')).statusCode).toBe(200);
    });
  });

  it('counts requests to unknown paths against the limit', async () => {
    await withApp({}, async (app) => {
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await app.inject({ method: 'GET', url: `/no/such/path/${i}` })).statusCode);
      expect(statuses).toEqual([404, 404, 404, 429]);
      const limited = await app.inject({ method: 'GET', url: '/api/v1/agencies' });
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    });
  });

  it('names the window in the 429 message, not the seconds left', async () => {
    await withApp({}, async (app) => {
      let response;
      for (let i = 0; i < 4; i += 1) response = await app.inject({ method: 'GET', url: '/api/v1/agencies' });
      expect(response!.statusCode).toBe(429);
      expect(response!.json().error.message).toBe('Too many requests: 3 requests per 1 minute; retry later');
      expect(Number(response!.headers['retry-after'])).toBeGreaterThan(0);
    });
    await withApp({ rateLimit: { max: 1, windowMs: 90_000 } }, async (app) => {
      await app.inject({ method: 'GET', url: '/api/v1/agencies' });
      const response = await app.inject({ method: 'GET', url: '/api/v1/agencies' });
      expect(response.json().error.message).toBe('Too many requests: 1 request per 90 seconds; retry later');
    });
  });

  it('never limits the probes', async () => {
    await withApp({}, async (app) => {
      for (let i = 0; i < 4; i += 1) await app.inject({ method: 'GET', url: '/no/such/path' });
      for (const url of ['/health/live', '/health/ready', '/readyz', '/healthz', '/api/v1/healthz']) {
        expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
      }
    });
  });
});
