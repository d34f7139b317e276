import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sign } from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, importSamples, SAMPLES_DIR } from './support/samples';
import { startTestApp } from './support/test-app';

const JWT_SECRET = 'e2e-jwt-secret-0123456789abcdef0123456789';

describe('BabyShield v1 API over the sample recalls', () => {
  let app: NestFastifyApplication;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const search = (payload: unknown) => post('/api/v1/search/advanced', payload);

  beforeAll(async () => {
    app = await startTestApp({ security: { jwtSecretKey: JWT_SECRET }, app: { rateLimit: { max: 0 } } });
    await importSamples(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('POST /api/v1/search/advanced', () => {
    it('finds the Fisher-Price Rock \'n Play recall for "rock n play sleper"', async () => {
      const response = await search({ product: 'rock n play sleper' });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ ok: true, traceId: response.headers['x-trace-id'], responseTimeMs: expect.any(Number) });
      expect(body.data.items[0]).toMatchObject({
        id: 'CPSC-19105',
        agencyCode: 'CPSC',
        recallDate: '2019-04-12',
        title: expect.stringContaining("Rock 'n Play"),
        severity: 'critical',
      });
      expect(body.data.items[0].relevanceScore).toBeGreaterThan(0.5);
      expect(body.data.items[0].relevanceScore).toBeLessThanOrEqual(1);
    });

    it('finds the mamaRoo recall for "mamaro swing" and gives every item a relevance score in 0..1', async () => {
      const { data } = (await search({ query: 'mamaro swing' })).json();
      expect(data.items[0].id).toBe('CPSC-22200');
      for (const item of data.items) expect(item.relevanceScore).toBeGreaterThanOrEqual(0);
    });

    it('omits absent optional fields instead of sending null', async () => {
      const { data } = (await search({ product: 'crib' })).json();
      for (const item of data.items) for (const value of Object.values(item)) expect(value).not.toBeNull();
    });

    it('prefers product over query when both are given', async () => {
      const { data } = (await search({ product: 'rock n play', query: 'mamaroo' })).json();
      expect(data.items[0].id).toBe('CPSC-19105');
    });

    it('requires every keyword to match', async () => {
      const { data } = (await search({ keywords: ['formula', 'similac'] })).json();
      expect(data.items.length).toBeGreaterThan(0);
      for (const item of data.items) expect(item.agencyCode).toBe('FDA');
      const none = (await search({ keywords: ['formula', 'stroller'] })).json();
      expect(none.data.items).toEqual([]);
    });

    it('returns exactly one recall for an id and ignores other filters', async () => {
      const { data } = (await search({ id: 'CPSC-19105', agency: 'FDA' })).json();
      expect(data.items.map((item: { id: string }) => item.id)).toEqual(['CPSC-19105']);
    });

    it('lists filter-only requests newest first', async () => {
      const { data } = (await search({ agencies: ['CPSC'], date_from: '2016-01-01', date_to: '2019-12-31', limit: 50 })).json();
      expect(data.items.length).toBeGreaterThan(3);
      const dates = data.items.map((item: { recallDate: string }) => item.recallDate);
      expect([...dates].sort().reverse()).toEqual(dates);
      for (const item of data.items) {
        expect(item.agencyCode).toBe('CPSC');
        expect(item.recallDate >= '2016-01-01' && item.recallDate <= '2019-12-31').toBe(true);
      }
      expect(data.total).toBe(data.items.length);
    });

    it('accepts agency aliases and the risk_level / product_category aliases', async () => {
      const byAlias = (await search({ agency: 'health canada' })).json();
      expect(byAlias.data.items.length).toBeGreaterThan(0);
      for (const item of byAlias.data.items) expect(item.agencyCode).toBe('HEALTH_CANADA');
      const bySeverity = (await search({ risk_level: 'critical', product_category: 'baby_product' })).json();
      for (const item of bySeverity.data.items) expect(item).toMatchObject({ severity: 'critical', riskCategory: 'baby_product' });
    });

    it('pages with signed cursors, never overlapping or skipping, under relevance and date order', async () => {
      for (const request of [{ product: 'infant baby' }, { agencies: ['CPSC', 'FDA', 'HEALTH_CANADA'] }]) {
        const all = (await search({ ...request, limit: 50 })).json().data;
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: any = (await search({ ...request, limit: 3, nextCursor: cursor })).json().data;
          expect(page.total).toBe(all.total);
          seen.push(...page.items.map((item: { id: string }) => item.id));
          expect(page.hasMore).toBe(page.nextCursor !== null);
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(all.items.map((item: { id: string }) => item.id));
        expect(seen.length).toBeGreaterThan(3);
      }
    });

    it('refuses a tampered cursor and a cursor from another query with INVALID_CURSOR', async () => {
      const first = (await search({ product: 'infant baby', limit: 2 })).json().data;
      const tampered = first.nextCursor.slice(0, -2) + (first.nextCursor.endsWith('AA') ? 'BB' : 'AA');
      for (const payload of [
        { product: 'infant baby', nextCursor: tampered },
        { product: 'stroller', nextCursor: first.nextCursor },
        { product: 'infant baby', nextCursor: 'not-a-cursor' },
      ]) {
        const response = await search(payload);
        expect(response.statusCode).toBe(400);
        expect(response.json().error.code).toBe('INVALID_CURSOR');
      }
    });

    it.each([
      [{ product: 'crib', color: 'red', size: 2 }, 'INVALID_PARAMETERS'],
      [{}, 'BAD_REQUEST'],
      [{ product: ' x ' }, 'INVALID_PARAMETERS'],
      [{ product: 'crib', limit: 51 }, 'INVALID_PARAMETERS'],
      [{ product: 'crib', limit: 0 }, 'INVALID_PARAMETERS'],
      [{ product: 'crib', offset: -1 }, 'INVALID_PARAMETERS'],
      [{ product: 42 }, 'INVALID_PARAMETERS'],
      [{ keywords: 'crib' }, 'INVALID_PARAMETERS'],
      [{ severity: 'extreme' }, 'INVALID_PARAMETERS'],
      [{ agency: 'NASA' }, 'INVALID_PARAMETERS'],
      [{ date_from: '2020-13-01' }, 'INVALID_PARAMETERS'],
      [{ date_from: '2021-02-30' }, 'INVALID_PARAMETERS'],
      [{ date_from: '2020-01-01', date_to: '2019-01-01' }, 'INVALID_PARAMETERS'],
      [{ id: "CPSC-1'; DROP TABLE recalls;--" }, 'INVALID_PARAMETERS'],
    ])('answers %j with 400 %s in the error envelope', async (payload, code) => {
      const response = await search(payload);
      expect(response.statusCode).toBe(400);
      const body = response.json();
      expect(body).toEqual({ ok: false, error: expect.objectContaining({ code, message: expect.any(String) }), traceId: response.headers['x-trace-id'] });
    });

    it('names a wrong type as such, not as a failed range or length check', async () => {
      const response = await search({ product: 42, limit: 'x' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'INVALID_PARAMETERS' });
      expect(response.json().error.message).toMatch(/product must be a string/);
      expect(response.json().error.message).toMatch(/limit must be an integer/);
      expect(response.json().error.message).not.toMatch(/200 characters|greater than 50/);
    });

    it('lists unknown fields in error.unknown', async () => {
      const body = (await search({ product: 'crib', color: 'red', size: 2 })).json();
      expect(body.error.unknown).toEqual(['color', 'size']);
    });

    it('treats SQL and LIKE wildcards in text as plain text', async () => {
      for (const product of ['%%', '_%_%', '\\\\', '%_']) {
        const response = await search({ product });
        expect(response.statusCode).toBe(200);
        expect(response.json().data.items).toEqual([]);
      }
      const injection = await search({ product: "'; DROP TABLE recalls; --" });
      expect(injection.statusCode).toBe(200);
      expect((await search({ product: 'rock n play' })).json().data.items[0].id).toBe('CPSC-19105');
    });

    it('answers malformed JSON with 400 BAD_REQUEST and no internals', async () => {
      const response = await app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload: '{"product":', headers: { 'content-type': 'application/json' } });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('BAD_REQUEST');
      expect(response.body).not.toMatch(/at .*\.js|SELECT|node_modules/);
    });

    it('accepts and ignores X-API-Key when keys are not configured', async () => {
      const response = await post('/api/v1/search/advanced', { product: 'crib' }, { 'x-api-key': 'anything' });
      expect(response.statusCode).toBe(200);
    });
  });

  describe('GET /api/v1/recall/:id', () => {
    it('returns one recall in the envelope', async () => {
      const response = await get('/api/v1/recall/CPSC-19105');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ ok: true, data: { id: 'CPSC-19105', agencyCode: 'CPSC' } });
    });

    it('finds EU ids with slashes, URL-encoded or not', async () => {
      for (const url of ['/api/v1/recall/EU-SR%2F03644%2F25', '/api/v1/recall/EU-SR/03644/25']) {
        expect((await get(url)).json().data.id).toBe('EU-SR/03644/25');
      }
    });

    it('answers 404 NOT_FOUND for an unknown id and 400 for an id with other characters', async () => {
      const missing = await get('/api/v1/recall/CPSC-00000');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('NOT_FOUND');
      const bad = await get('/api/v1/recall/CPSC%2019105%3B');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('INVALID_PARAMETERS');
    });
  });

  describe('GET /api/v1/recalls, /agencies, /fda, /cpsc', () => {
    it('lists recalls by agency and country, newest or oldest first, with a cursor', async () => {
      const recent = (await get('/api/v1/recalls?agency=CPSC&limit=5')).json().data;
      expect(recent.items).toHaveLength(5);
      expect(recent.hasMore).toBe(true);
      const next = (await get(`/api/v1/recalls?agency=CPSC&limit=5&cursor=${encodeURIComponent(recent.nextCursor)}`)).json().data;
      expect(next.items[0].recallDate <= recent.items[4].recallDate).toBe(true);
      expect(next.items.map((item: { id: string }) => item.id)).not.toContain(recent.items[4].id);
      const oldest = (await get('/api/v1/recalls?agency=CPSC&sort=oldest&limit=1')).json().data;
      expect(oldest.items[0].recallDate <= recent.items[4].recallDate).toBe(true);
      const canada = (await get('/api/v1/recalls?country=CA&limit=100')).json().data;
      expect(canada.items.length).toBeGreaterThan(0);
      for (const item of canada.items) expect([item.country, ...(item.affectedCountries ?? [])]).toContain('CA');
    });

    it('searches text with q and refuses a limit over 100', async () => {
      expect((await get('/api/v1/recalls?q=boppy%20lounger')).json().data.items[0].id).toMatch(/CPSC-21198|HC-/);
      const response = await get('/api/v1/recalls?limit=101');
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('INVALID_PARAMETERS');
    });

    it('serves the agency codes as data.agencies and details', async () => {
      const { data } = (await get('/api/v1/agencies')).json();
      expect(data.agencies).toEqual(['CPSC', 'FDA', 'NHTSA', 'HEALTH_CANADA', 'EU_SAFETY_GATE']);
      expect(data.details[0]).toEqual({ code: 'CPSC', name: expect.any(String), country: 'US', website: expect.stringMatching(/^https:/) });
    });

    it('scopes /fda and /cpsc to their agency', async () => {
      const fda = (await get('/api/v1/fda?product=similac&limit=3')).json();
      expect(fda).toMatchObject({ ok: true, responseTimeMs: expect.any(Number) });
      expect(fda.data.items.length).toBeGreaterThan(0);
      for (const item of fda.data.items) expect(item.agencyCode).toBe('FDA');
      const cpsc = (await get('/api/v1/cpsc?product=similac')).json();
      for (const item of cpsc.data.items) expect(item.agencyCode).toBe('CPSC');
    });
  });

  describe('POST /api/v1/safety-check', () => {
    const check = (payload: unknown) => post('/api/v1/safety-check', payload);

    it('says recalled for a barcode, with or without its leading zero', async () => {
      for (const barcode of ['765940893043', '0765940893043', '00765940893043']) {
        const { data } = (await check({ barcode })).json();
        expect(data).toMatchObject({ verdict: 'recalled', checkedAt: expect.any(String) });
        expect(data.matches[0]).toMatchObject({ recall: { id: 'CPSC-19108' }, matchedOn: 'barcode', confidence: 1 });
      }
    });

    it('refuses a barcode with a bad check digit, saying so', async () => {
      const response = await check({ barcode: '765940893044' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'INVALID_PARAMETERS', message: expect.stringMatching(/check digit/) });
    });

    it('matches model numbers regardless of case, spaces, hyphens, dots and slashes', async () => {
      for (const model_number of ['4M-005', '4m005', '4M 005', '4.M/005']) {
        const { data } = (await check({ model_number })).json();
        expect(data.verdict).toBe('recalled');
        expect(data.matches[0]).toMatchObject({ recall: { id: 'CPSC-22200' }, matchedOn: 'model_number' });
      }
    });

    it('calls a name-only hit a possible match, and an unknown product no known recall', async () => {
      const possible = (await check({ product_name: 'rock n play sleeper' })).json().data;
      expect(possible.verdict).toBe('possible_match');
      expect(possible.matches[0]).toMatchObject({ recall: { id: 'CPSC-19105' }, matchedOn: 'product_name' });
      expect(possible.matches[0].confidence).toBeLessThan(1);
      const none = (await check({ barcode: '036000291452', model_number: 'ZZ-99999' })).json().data;
      expect(none).toMatchObject({ verdict: 'no_known_recall', matches: [] });
    });

    it('needs at least one field and refuses unknown ones', async () => {
      expect((await check({})).json().error.code).toBe('BAD_REQUEST');
      const unknown = (await check({ upc: '765940893043' })).json();
      expect(unknown.error).toMatchObject({ code: 'INVALID_PARAMETERS', unknown: ['upc'] });
    });
  });

  describe('POST /api/v1/admin/recalls/import', () => {
    const token = (claims: object) => `Bearer ${sign(claims, JWT_SECRET, { algorithm: 'HS256', expiresIn: 60 })}`;
    const upload = (payload: string, authorization?: string, contentType = 'application/json') =>
      app.inject({
        method: 'POST',
        url: '/api/v1/admin/recalls/import',
        payload,
        headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
      });

    it('answers 401 without a valid token and 403 without the admin role, in the error envelope', async () => {
      const body = readFileSync(join(SAMPLES_DIR, 'cpsc-recalls.json'), 'utf8');
      for (const authorization of [undefined, 'Bearer nonsense', `Bearer ${sign({ role: 'admin' }, 'another-secret-0123456789abcdef012345')}`]) {
        const response = await upload(body, authorization);
        expect(response.statusCode).toBe(401);
        expect(response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      }
      const forbidden = await upload(body, token({ role: 'user' }));
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json().error.code).toBe('FORBIDDEN');
    });

    it('imports a feed document through the same pipeline (unchanged the second time, broken records listed)', async () => {
      const broken = readFileSync(join(FIXTURES_DIR, 'cpsc-with-broken-records.json'), 'utf8');
      const response = await upload(broken, token({ role: 'admin' }));
      expect(response.statusCode).toBe(200);
      expect(response.json().data).toMatchObject({ source: 'cpsc', read: 6, inserted: 0, updated: 0, unchanged: 3 });
      expect(response.json().data.rejected.map((rejection: { position: number }) => rejection.position)).toEqual([1, 3, 5]);
    });

    it('imports EU Safety Gate XML sent as application/xml', async () => {
      const xml = readFileSync(join(SAMPLES_DIR, 'eu-safety-gate.xml'), 'utf8');
      const response = await upload(xml, token({ roles: ['admin'] }), 'application/xml');
      expect(response.statusCode).toBe(200);
      expect(response.json().data).toMatchObject({ source: 'eu-safety-gate', unchanged: 5, inserted: 0 });
    });

    it('answers an unknown format with 400', async () => {
      const response = await upload(JSON.stringify({ hello: 'world' }), token({ role: 'admin' }));
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('BAD_REQUEST');
    });
  });

  describe('HTTP hygiene', () => {
    it('sends nosniff and frame denial headers, and no HSTS outside production', async () => {
      const response = await get('/api/v1/agencies');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['strict-transport-security']).toBeUndefined();
    });

    it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await search({ product: 'x'.repeat(2 * 1024 * 1024) });
      expect(response.statusCode).toBe(413);
      expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('serves the OpenAPI document generated from the DTOs, and Swagger UI', async () => {
      const document = (await get('/openapi.json')).json();
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/search/advanced', '/api/v1/safety-check', '/api/v1/recalls']));
      expect(JSON.stringify(document.components.schemas.AdvancedSearchDto)).toContain('nextCursor');
      expect((await get('/docs')).statusCode).toBe(200);
    });
  });
});

describe('rate limiting', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startTestApp({ app: { rateLimit: { max: 3, windowMs: 60_000 } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 429 RATE_LIMITED with Retry-After past the limit, and never limits probes', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i += 1) {
      last = await app.inject({ method: 'GET', url: '/api/v1/agencies' });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
    expect(last!.headers['x-trace-id']).toBe(last!.json().traceId);
    for (let i = 0; i < 5; i += 1) expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});

describe('CORS from configuration', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startTestApp({ app: { corsOrigins: ['https://app.babyshield.example'] } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('allows the configured origin and not others', async () => {
    const preflight = (origin: string) =>
      app.inject({ method: 'OPTIONS', url: '/api/v1/search/advanced', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await preflight('https://app.babyshield.example')).headers['access-control-allow-origin']).toBe('https://app.babyshield.example');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });
});
