import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startTestApp } from './support/test-app';

describe('a known path with a method it does not serve', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startTestApp({ app: { rateLimit: { max: 0 } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['POST', '/api/v1/agencies', 'GET, HEAD'],
    ['DELETE', '/api/v1/recall/CPSC-19105', 'GET, HEAD'],
    ['GET', '/api/v1/search/advanced', 'POST'],
    ['PUT', '/api/v1/admin/recalls/import?source=cpsc', 'POST'],
  ])('answers %s %s with 405 METHOD_NOT_ALLOWED and Allow: %s, in the envelope', async (method, url, allow) => {
    const response = await app.inject({ method: method as 'GET', url });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe(allow);
    const body = response.json();
    expect(body).toEqual({ ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: expect.any(String) }, traceId: expect.any(String) });
    expect(body.error.message).not.toMatch(/^Cannot /);
    expect(response.headers['x-trace-id']).toBe(body.traceId);
  });

  it('keeps 404 NOT_FOUND for a path no method serves', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const response = await app.inject({ method, url: '/api/v1/no-such-thing' });
      expect(response.statusCode).toBe(404);
      expect(response.headers.allow).toBeUndefined();
      expect(response.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });
});
