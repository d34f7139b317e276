import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sign } from 'jsonwebtoken';
import { startTestApp } from './support/test-app';

const JWT_SECRET = 'admin-auth-e2e-secret-0123456789abcdef01';
const REFUSED = 'The bearer token is not valid';
const now = () => Math.floor(Date.now() / 1000);
/** Signs exactly these claims (no iat added when they have none), HS256 with the service's key unless told otherwise. */
const token = (claims: object, secret = JWT_SECRET) => sign(claims, secret, { algorithm: 'HS256', noTimestamp: !('iat' in claims) });

describe('admin bearer tokens', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startTestApp({ security: { jwtSecretKey: JWT_SECRET, jwtMaxAgeSeconds: 3600 }, app: { rateLimit: { max: 0 } } });
  });
  afterAll(async () => {
    await app?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  // A body of no known feed format: 400 once the token is accepted, 401 when it is not.
  const upload = (jwt: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/admin/recalls/import',
      payload: JSON.stringify({ hello: 'world' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
    });

  it('accepts a short-lived admin token carrying iat and exp', async () => {
    const response = await upload(token({ role: 'admin', iat: now(), exp: now() + 600 }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('BAD_REQUEST');
  });

  it.each([
    ['no exp (it would be valid forever)', () => ({ role: 'admin', iat: now() })],
    ['no iat', () => ({ role: 'admin', exp: now() + 600 })],
    ['neither', () => ({ role: 'admin' })],
    ['a lifetime over JWT_MAX_AGE_SECONDS', () => ({ role: 'admin', iat: now(), exp: now() + 7200 })],
    ['an iat in the future (to stretch its lifetime)', () => ({ role: 'admin', iat: now() + 7200, exp: now() + 7800 })],
    ['an old iat and a far exp', () => ({ role: 'admin', iat: now() - 86_400, exp: now() + 600 })],
  ])('refuses a token with %s: 401 UNAUTHORIZED', async (_case, claims) => {
    const response = await upload(token(claims()));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: REFUSED } });
  });

  it('says the same fixed words whatever is wrong, and logs the reason without the token', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const tokens = [
      'nonsense',
      token({ role: 'admin', iat: now(), exp: now() + 600 }, 'another-secret-0123456789abcdef012345'),
      token({ role: 'admin', iat: now() - 1200, exp: now() - 600 }),
      token({ role: 'admin' }),
    ];
    for (const jwt of tokens) {
      const response = await upload(jwt);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.message).toBe(REFUSED);
    }
    const logged = warn.mock.calls.map((call) => String(call[0]));
    expect(logged.filter((line) => line.startsWith('Admin token refused'))).toEqual([
      expect.stringContaining('jwt malformed'),
      expect.stringContaining('invalid signature'),
      expect.stringContaining('jwt expired'),
      expect.stringContaining('no exp'),
    ]);
    for (const jwt of tokens) expect(logged.join('\n')).not.toContain(jwt);
  });

  it('refuses a valid token without the admin role with 403', async () => {
    const response = await upload(token({ role: 'user', iat: now(), exp: now() + 600 }));
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN');
  });
});
