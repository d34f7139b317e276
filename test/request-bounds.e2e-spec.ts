import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sign } from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, SAMPLE_FILES, SAMPLES_DIR } from './support/samples';
import { startTestApp } from './support/test-app';

const JWT_SECRET = 'e2e-jwt-secret-0123456789abcdef0123456789';
const ADMIN = `Bearer ${sign({ role: 'admin' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 600 })}`;

/** The body of the report: about 950 KB, 88,000 unknown top-level keys. */
const EIGHTY_EIGHT_THOUSAND_KEYS = `{${Array.from({ length: 88_000 }, (_, index) => `"k${index}":0`).join(',')}}`;
const TEN_THOUSAND_NESTED_ARRAYS = '['.repeat(10_000) + ']'.repeat(10_000);

const ENDPOINTS: Array<{ name: string; url: string; headers: Record<string, string> }> = [
  { name: 'search', url: '/api/v1/search/advanced', headers: {} },
  { name: 'safety check', url: '/api/v1/safety-check', headers: {} },
  { name: 'admin import', url: '/api/v1/admin/recalls/import', headers: { authorization: ADMIN } },
];

describe('request bounds: no request can freeze the service', () => {
  let app: NestFastifyApplication;
  const post = (url: string, payload: string, headers: Record<string, string> = {}, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, ...headers } });

  /** 400 BAD_REQUEST in the error envelope, with the message naming the limit. */
  const expectRefused = (response: Awaited<ReturnType<typeof post>>, message: RegExp) => {
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 400,
      body: { ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(message) }, traceId: response.headers['x-trace-id'] },
    });
  };

  beforeAll(async () => {
    app = await startTestApp({ security: { jwtSecretKey: JWT_SECRET }, app: { rateLimit: { max: 0 } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  describe.each(ENDPOINTS)('POST to $name', ({ url, headers }) => {
    it('refuses the 88,000-key body with 400, naming the key limit', async () => {
      expectRefused(await post(url, EIGHTY_EIGHT_THOUSAND_KEYS, headers), /has an object with too many keys \(limit: \d+ keys per object\)/);
    }, 60_000);

    it('refuses 10,000 nested arrays with 400, naming the depth limit', async () => {
      expectRefused(await post(url, TEN_THOUSAND_NESTED_ARRAYS, headers), /nests too deeply \(limit: \d+ levels\)/);
    }, 60_000);

    it('refuses the 10,000 nested arrays inside a field too', async () => {
      const body = `{"keywords":${TEN_THOUSAND_NESTED_ARRAYS}}`;
      expectRefused(await post(url, body, headers), /too deeply/);
    }, 60_000);

    it('refuses the prototype-poisoning keys __proto__ and constructor, naming them', async () => {
      expectRefused(await post(url, '{"__proto__":{"isAdmin":true}}', headers), /reserved key "__proto__"/);
      expectRefused(await post(url, '[{"constructor":{"prototype":{"isAdmin":true}}}]', headers), /reserved key "constructor"/);
    });
  });

  describe('API bodies get tight limits', () => {
    it('refuses an array longer than any field takes, and a string longer than any field takes', async () => {
      expectRefused(await post('/api/v1/search/advanced', JSON.stringify({ keywords: Array(100_000).fill('crib') })), /array with too many items/);
      expectRefused(await post('/api/v1/safety-check', JSON.stringify({ product_name: 'x'.repeat(500_000) })), /string or key that is too long/);
    }, 60_000);

    it('no longer takes a "constructor" field silently as a search', async () => {
      expectRefused(await post('/api/v1/search/advanced', '{"constructor":"x","product":"crib"}'), /reserved key "constructor"/);
    });

    it('refuses a form-encoded body with thousands of fields before parsing it', async () => {
      const form = Array.from({ length: 20_000 }, (_, index) => `field${index}=1`).join('&');
      expectRefused(await post('/api/v1/search/advanced', form, {}, 'application/x-www-form-urlencoded'), /too many parameters \(limit: \d+\)/);
    }, 60_000);

    it('takes a form-encoded body of exactly the most fields to validation, and refuses one field more', async () => {
      const form = (count: number) => Array.from({ length: count }, (_, index) => `field${index}=1`).join('&');
      const atLimit = await post('/api/v1/safety-check', form(32), {}, 'application/x-www-form-urlencoded');
      expect(atLimit.json().error).toMatchObject({ code: 'INVALID_PARAMETERS', unknown: expect.arrayContaining(['field0', 'field31']) });
      expectRefused(await post('/api/v1/safety-check', form(33), {}, 'application/x-www-form-urlencoded'), /too many parameters \(limit: 32\)/);
      expectRefused(await post('/api/v1/safety-check', '__proto__=x&barcode=1', {}, 'application/x-www-form-urlencoded'), /reserved key "__proto__"/);
    });

    it('still answers a request within the limits', async () => {
      const response = await post('/api/v1/search/advanced', JSON.stringify({ product: 'crib', keywords: ['crib'], agencies: ['CPSC'], limit: 5 }));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ ok: true, data: { items: expect.any(Array) } });
    });
  });

  describe('query strings', () => {
    it('refuses thousands of parameters on GET /api/v1/recalls', async () => {
      const query = Array.from({ length: 3000 }, (_, index) => `p${index}=1`).join('&');
      expectRefused(await app.inject({ method: 'GET', url: `/api/v1/recalls?${query}` }), /query string has too many parameters \(limit: \d+\)/);
    });

    it('refuses a parameter repeated thousands of times', async () => {
      const query = Array(3000).fill('agency=CPSC').join('&');
      expectRefused(await app.inject({ method: 'GET', url: `/api/v1/recalls?${query}` }), /repeats a parameter too often \(limit: \d+ values per parameter\)/);
    });

    it('refuses __proto__ as a parameter name', async () => {
      expectRefused(await app.inject({ method: 'GET', url: '/api/v1/recalls?__proto__=x&q=crib' }), /reserved key "__proto__"/);
    });
  });

  describe('the admin import admits whole feed documents', () => {
    const feeds = [
      ...SAMPLE_FILES.map((file) => ({ file, path: join(SAMPLES_DIR, file) })),
      ...['cpsc-with-broken-records.json', 'cpsc-error-row.json'].map((file) => ({ file, path: join(FIXTURES_DIR, file) })),
    ];
    it.each(feeds)(
      'takes $file through the endpoint',
      async ({ path }) => {
        const response = await post('/api/v1/admin/recalls/import', readFileSync(path, 'utf8'), { authorization: ADMIN }, path.endsWith('.xml') ? 'application/xml' : 'application/json');
        expect(response.statusCode).not.toBe(500);
        expect(response.json().error?.message ?? '').not.toMatch(/limit/);
        if (!path.includes('error-row')) expect(response.statusCode).toBe(200);
      },
      60_000,
    );

    it('refuses deeply nested XML and XML with too many elements, naming the limit', async () => {
      const deep = '<Safety-Gate>' + '<a>'.repeat(100_000) + '</a>'.repeat(100_000) + '</Safety-Gate>';
      expectRefused(await post('/api/v1/admin/recalls/import', deep, { authorization: ADMIN }, 'application/xml'), /nests too deeply \(limit: 32 levels\)/);
      const flat = `<Safety-Gate>${'<a/>'.repeat(200_000)}</Safety-Gate>`;
      expectRefused(await post('/api/v1/admin/recalls/import', flat, { authorization: ADMIN }, 'application/xml'), /too many elements \(limit: \d+ elements\)/);
    }, 60_000);

    it('admits a feed that fills the body limit (a 1 MB CPSC document of hundreds of records)', async () => {
      const records = JSON.parse(readFileSync(join(SAMPLES_DIR, 'cpsc-recalls.json'), 'utf8')) as object[];
      const feed: object[] = [];
      while (JSON.stringify(feed).length < 950_000) feed.push(...records.map((record) => ({ ...record, RecallNumber: `${900_000 + feed.length}` })));
      while (JSON.stringify(feed).length > 1_000_000) feed.pop();
      const response = await post('/api/v1/admin/recalls/import', JSON.stringify(feed), { authorization: ADMIN });
      expect(response.statusCode).toBe(200);
      expect(response.json().data).toMatchObject({ source: 'cpsc', read: feed.length });
    }, 120_000);
  });
});
