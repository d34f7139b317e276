import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AddressInfo, Socket } from 'node:net';
import { rawHttp, RawResponse } from './support/raw-http';
import { importSamples } from './support/samples';
import { startTestApp } from './support/test-app';

type Answer = { statusCode: number; headers: Record<string, unknown>; body: string };

/** The error envelope, with the trace id of the X-Trace-Id header, and nothing else in the body. */
function expectEnvelope(response: Answer, status: number, code: string): void {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status });
  expect(JSON.parse(response.body)).toEqual({
    ok: false,
    error: { code, message: expect.any(String) },
    traceId: response.headers['x-trace-id'],
  });
  expect(response.headers['x-trace-id']).toEqual(expect.stringMatching(/\S/));
}

/** The answer to a raw request, which these tests expect there to be. */
async function answered(response: Promise<RawResponse | undefined>): Promise<RawResponse> {
  const answer = await response;
  if (answer === undefined) throw new Error('the server closed the connection without answering');
  return answer;
}

describe('every failure is answered in the error envelope', () => {
  let app: NestFastifyApplication;
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });
  const get = (url: string) => app.inject({ method: 'GET', url });

  beforeAll(async () => {
    app = await startTestApp({ app: { rateLimit: { max: 0 } } });
    await importSamples(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('control characters and unpaired surrogates in text', () => {
    // NUL failed the PostgreSQL statement ("invalid byte sequence for encoding UTF8: 0x00"); an unpaired
    // surrogate reached the database as U+FFFD. Neither is text a person can type.
    const hostile = ['LOT\u0000123', 'LOT\u0007123', 'LOT\u009b123', 'LOT\ud800123', 'LOT\udc00123'];

    it.each([
      ['lot_number', (text: string) => post('/api/v1/safety-check', { lot_number: text })],
      ['model_number', (text: string) => post('/api/v1/safety-check', { model_number: text })],
      ['product_name', (text: string) => post('/api/v1/safety-check', { product_name: text })],
      ['barcode', (text: string) => post('/api/v1/safety-check', { barcode: text })],
      ['product', (text: string) => post('/api/v1/search/advanced', { product: text })],
      ['query', (text: string) => post('/api/v1/search/advanced', { query: text })],
      ['keywords[1]', (text: string) => post('/api/v1/search/advanced', { keywords: ['crib', text] })],
      ['agency', (text: string) => post('/api/v1/search/advanced', { agency: text })],
      ['agencies[0]', (text: string) => post('/api/v1/search/advanced', { agencies: [text] })],
      ['nextCursor', (text: string) => post('/api/v1/search/advanced', { product: 'crib', nextCursor: text })],
    ])('refuses them in %s with 400 INVALID_PARAMETERS naming the field', async (field, send) => {
      for (const text of hostile) {
        const response = await send(text);
        expectEnvelope(response, 400, 'INVALID_PARAMETERS');
        expect(response.json().error.message).toContain(field);
      }
    });

    it.each([
      ['/api/v1/recalls?q=', 'q'],
      ['/api/v1/recalls?agency=', 'agency'],
      ['/api/v1/recalls?cursor=', 'cursor'],
      ['/api/v1/fda?product=', 'product'],
      ['/api/v1/cpsc?product=', 'product'],
    ])('refuses them in the query string of %s', async (prefix, field) => {
      for (const text of ['crib%00bumper', 'crib%1Bbumper', 'crib%C2%9Bbumper']) {
        const response = await get(`${prefix}${text}`);
        expectEnvelope(response, 400, 'INVALID_PARAMETERS');
        expect(response.json().error.message).toContain(field);
      }
    });

    it('keeps text with tabs, line breaks, right-to-left marks, accents and emoji', async () => {
      for (const product of ['rock n\tplay\nsleeper', 'poussette \u200fbébé', 'crib 👶🏽 bumper']) {
        expect((await post('/api/v1/search/advanced', { product })).statusCode).toBe(200);
      }
      expect((await post('/api/v1/safety-check', { lot_number: 'LOT\t123' })).statusCode).toBe(200);
    });
  });

  describe('dates outside what both databases accept', () => {
    it.each([
      '/api/v1/recalls?date_to=0000-06-01',
      '/api/v1/recalls?date_from=0000-01-01',
      '/api/v1/recalls?date_from=0000-01-01&date_to=2020-01-01',
    ])('answers GET %s with 400 INVALID_PARAMETERS', async (url) => {
      const response = await get(url);
      expectEnvelope(response, 400, 'INVALID_PARAMETERS');
      expect(response.json().error.message).toMatch(/0001-01-01/);
    });

    it.each([{ date_from: '0000-01-01' }, { date_to: '0000-12-31' }, { agency: 'CPSC', date_from: '0000-02-29', date_to: '2020-01-01' }])(
      'answers a search with %j with 400 INVALID_PARAMETERS',
      async (payload) => {
        expectEnvelope(await post('/api/v1/search/advanced', payload), 400, 'INVALID_PARAMETERS');
      },
    );

    it.each(['0001-01-01', '0003-06-30', '0098-12-31', '0999-12-31'])('answers a text search with date_to %s (first centuries)', async (dateTo) => {
      for (const product of ['infant baby', 'crib']) {
        const response = await post('/api/v1/search/advanced', { product, date_to: dateTo });
        expect(response.statusCode).toBe(200);
        expect(response.json().data.items).toEqual([]);
      }
      expect((await get(`/api/v1/recalls?q=crib&date_to=${dateTo}`)).statusCode).toBe(200);
    });

    it('takes a null filter or offset as not given, with and without text', async () => {
      for (const payload of [
        { product: 'similac', date_to: null },
        { product: 'similac', date_from: null, offset: null },
        { agency: 'FDA', date_to: null },
        { product: 'similac', severity: null, risk_level: null, riskCategory: null, product_category: null },
      ]) {
        const response = await post('/api/v1/search/advanced', payload);
        expect(response.statusCode).toBe(200);
        expect(response.json().data.items.length).toBeGreaterThan(0);
      }
    });

    it('accepts the whole range from 0001-01-01 to 9999-12-31, with and without text', async () => {
      const widest = { date_from: '0001-01-01', date_to: '9999-12-31' };
      const search = await post('/api/v1/search/advanced', widest);
      expect(search.statusCode).toBe(200);
      expect(search.json().data.items.length).toBeGreaterThan(0);
      expect((await post('/api/v1/search/advanced', { ...widest, product: 'rock n play' })).json().data.items[0].id).toBe('CPSC-19105');
      expect((await get('/api/v1/recalls?date_from=0001-01-01&date_to=9999-12-31&q=crib')).statusCode).toBe(200);
    });
  });

  describe('URLs the router cannot decode', () => {
    it.each(['/api/v1/recall/%zz', '/api/v1/recall/%', '/api/v1/recall/%ff%fe', '/api/v1/%zz', '/%'])(
      'answers %s with 400 BAD_REQUEST, its trace id and the security headers',
      async (url) => {
        const response = await app.inject({ method: 'GET', url, headers: { 'x-request-id': 'bad-url-trace-1' } });
        expectEnvelope(response, 400, 'BAD_REQUEST');
        expect(response.json().traceId).toBe('bad-url-trace-1');
        expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
        expect(response.body).not.toContain('FST_');
      },
    );
  });
});

describe('with CORS origins configured', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startTestApp({ app: { rateLimit: { max: 0 }, corsOrigins: ['https://app.babyshield.example'] } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['no Origin', { 'access-control-request-method': 'POST' }],
    ['no Access-Control-Request-Method', { origin: 'https://app.babyshield.example' }],
    ['neither', {}],
  ])('answers an OPTIONS request with %s as a preflight (empty 204), not with a plain-text 400', async (_name, headers: Record<string, string>) => {
    const response = await app.inject({ method: 'OPTIONS', url: '/api/v1/search/advanced', headers });
    expect({ status: response.statusCode, body: response.body }).toEqual({ status: 204, body: '' });
  });

  it('still answers a full preflight from a configured origin', async () => {
    const headers = { origin: 'https://app.babyshield.example', 'access-control-request-method': 'POST' };
    const response = await app.inject({ method: 'OPTIONS', url: '/api/v1/search/advanced', headers });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.babyshield.example');
  });
});

describe('malformed HTTP over a real connection', () => {
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    app = await startTestApp({ app: { rateLimit: { max: 0 } } });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
    ['an unknown method', 'BREW /api/v1/agencies HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a header line without a colon', 'GET /api/v1/agencies HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n'],
    ['a control character in a header value', 'GET /api/v1/agencies HTTP/1.1\r\nHost: x\r\nX-Thing: a\u0001b\r\n\r\n'],
    ['both Content-Length and chunked', 'POST /api/v1/safety-check HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['a bad chunk size', 'POST /api/v1/safety-check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
  ])('answers %s with 400 BAD_REQUEST in the envelope', async (_name, request) => {
    const response = await answered(rawHttp(port, request));
    expectEnvelope(response, 400, 'BAD_REQUEST');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers an HTTP/1.1 request without a Host header with 400 BAD_REQUEST in the envelope', async () => {
    const response = await answered(rawHttp(port, 'GET /api/v1/agencies HTTP/1.1\r\nConnection: close\r\n\r\n'));
    expectEnvelope(response, 400, 'BAD_REQUEST');
    expect(JSON.parse(response.body).error.message).toMatch(/Host/);
    const http10 = await answered(rawHttp(port, 'GET /api/v1/agencies HTTP/1.0\r\n\r\n'));
    expect(http10.statusCode).toBe(200);
  });

  it('answers a 70 KB URL with 431 REQUEST_HEADER_TOO_LARGE in the envelope', async () => {
    const response = await answered(rawHttp(port, `GET /api/v1/recall/${'A'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expectEnvelope(response, 431, 'REQUEST_HEADER_TOO_LARGE');
  });

  it('answers a request that does not arrive in time with 408 REQUEST_TIMEOUT in the envelope', async () => {
    // Node reports a request past its requestTimeout as this clientError (checked every 30 s by default: too slow
    // to wait for here), on the connection that carried it.
    const server = app.getHttpServer();
    server.once('connection', (socket: Socket) => {
      socket.once('data', () => server.emit('clientError', Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket));
    });
    const response = await answered(rawHttp(port, 'GET /api/v1/agencies HTTP/1.1\r\nHost: x\r\n'));
    expectEnvelope(response, 408, 'REQUEST_TIMEOUT');
  });

  it('answers an undecodable URL with 400 BAD_REQUEST in the envelope', async () => {
    const response = await answered(rawHttp(port, 'GET /api/v1/recall/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    expectEnvelope(response, 400, 'BAD_REQUEST');
  });

  it('still serves well-formed requests on the same server', async () => {
    const response = await answered(rawHttp(port, 'GET /api/v1/agencies HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, traceId: response.headers['x-trace-id'] });
  });
});
