import { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { sign } from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ErrorCode } from '../src/common/error-codes';
import { rawHttp } from './support/raw-http';
import { FIXTURES_DIR, importSamples } from './support/samples';
import { startTestApp } from './support/test-app';

/**
 * Property-based fuzzing of every endpoint: hostile bodies, query strings, headers, paths and raw bytes. Whatever
 * arrives, the service answers below 500, every 4xx is the error envelope with a code of the enum and the request's
 * trace id, and no body carries a stack, SQL, a file path or a database driver's message.
 *
 * The seed is fixed, so a run is repeatable; fast-check prints the seed, the path and the smallest failing input
 * on failure. FUZZ_SEED=<n> tries another sequence, FUZZ_SCALE=<k> multiplies the number of runs.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const runs = (count: number) => Math.max(1, Math.round(count * Number(process.env.FUZZ_SCALE ?? 1)));
const JWT_SECRET = 'fuzz-jwt-secret-0123456789abcdef0123456789';
// A few seconds per property at the default scale; generous for a loaded machine and for shrinking a failure.
jest.setTimeout(Math.max(1, Number(process.env.FUZZ_SCALE ?? 1)) * 120_000);

const ERROR_CODES = new Set<string>(Object.values(ErrorCode));
const LEAKS: Array<[string, RegExp]> = [
  ['a stack frame', /\bat (?:async )?(?:[\w$.<>]+ \()?(?:\/|node:|file:)[^\s)]*:\d+:\d+/],
  ['a file path', /\/work\/|node_modules|\.ts:\d|\.js:\d/],
  ['a PostgreSQL message', /invalid byte sequence|syntax error at|relation "|date\/time field value|out of range for type|violates .* constraint/i],
  ['a SQLite message', /SQLITE_|no such (?:table|column)/],
  ['an ORM error', /QueryFailedError|EntityNotFound|TypeORMError/],
  ['a JavaScript error name', /\b(?:TypeError|RangeError|ReferenceError): /],
  ['SQL text', /\bSELECT\b[\s\S]+\bFROM\b|\bINSERT INTO\b|\bWHERE\b.+\$\d/],
];

/** Every answer checked in this file, by status class, printed at the end (a pass means none broke a property). */
const tally: Record<string, number> = {};
const countAnswer = (statusCode: number | 'no answer') => {
  const key = statusCode === 'no answer' ? statusCode : `${Math.floor(statusCode / 100)}xx`;
  tally[key] = (tally[key] ?? 0) + 1;
};
afterAll(() => {
  const total = Object.values(tally).reduce((sum, count) => sum + count, 0);
  process.stdout.write(`fuzz (seed ${SEED}): ${total} hostile requests checked: ${JSON.stringify(tally)}\n`);
});

interface FuzzRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/** The properties every answer has, whatever was asked. Throws a readable description of the first one broken. */
function assertSafeAnswer(request: Pick<FuzzRequest, 'method' | 'url'>, answer: Answer): void {
  const where = `${request.method} ${request.url.slice(0, 300)} -> ${answer.statusCode} ${answer.body.slice(0, 500)}`;
  if (answer.statusCode >= 500) throw new Error(`answered 5xx: ${where}`);
  for (const [what, pattern] of LEAKS) if (pattern.test(answer.body)) throw new Error(`the body shows ${what}: ${where}`);
  if (answer.statusCode < 400 || request.method === 'HEAD') return;
  let body: { ok?: unknown; error?: { code?: unknown; message?: unknown; unknown?: unknown }; traceId?: unknown };
  try {
    body = JSON.parse(answer.body);
  } catch {
    throw new Error(`a 4xx body that is not JSON: ${where}`);
  }
  const keys = Object.keys(body ?? {}).sort().join(',');
  if (keys !== 'error,ok,traceId' || body.ok !== false) throw new Error(`a 4xx body that is not the envelope: ${where}`);
  if (!ERROR_CODES.has(body.error?.code as string)) throw new Error(`a 4xx code outside the enum: ${where}`);
  if (typeof body.error?.message !== 'string' || body.error.message === '') throw new Error(`a 4xx without a message: ${where}`);
  const errorKeys = Object.keys(body.error ?? {}).filter((key) => !['code', 'message', 'unknown'].includes(key));
  if (errorKeys.length > 0) throw new Error(`a 4xx error with fields outside the envelope (${errorKeys.join(', ')}): ${where}`);
  if (typeof body.traceId !== 'string' || body.traceId === '' || body.traceId !== answer.headers['x-trace-id']) {
    throw new Error(`a 4xx whose traceId is missing or differs from X-Trace-Id: ${where}`);
  }
}

// ---------------------------------------------------------------------------------------------------- text

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const printableAscii = fc.integer({ min: 0x20, max: 0x7e }).map((unit) => String.fromCharCode(unit));

/** Text chosen to hurt: controls, surrogates, direction marks, look-alike numbers and dates, SQL and LIKE syntax. */
const SPECIAL_TEXT = [
  '', ' ', '  \t ', '\u0000', 'ab\u0000cd', '\ud800', 'x\udfffy', '\udbff\udbff', '\u202egnp.exe', '\u200f\u200e', '\ufeffcrib', '\u00a0crib\u3000',
  '👶🏽🍼', '👨‍👩‍👧‍👦', 'e\u0301\u0301\u0301', 'ﬁ İ ß ǅ', 'Ω≈ç√∫', '𝕔𝕣𝕚𝕓', '\u0085', '\u2028\u2029',
  'NaN', 'Infinity', '-Infinity', '-0', '1e309', '0x1F', '1_000', 'null', 'undefined', 'true', '[]', '{}', '[object Object]',
  "' OR '1'='1", "'; DROP TABLE recalls; --", '%', '%%', '_', '\\', '\\\\%', '"', '*', '&', '|', '!', ':*', '<->', '(', ')',
  '0000-01-01', '0000-06-01', '0001-01-01', '9999-12-31', '10000-01-01', '2021-02-29', '2020-13-01', '-2020-01-01', '+002020-01-01', '2020-1-1',
  'CPSC-19105', 'EU-SR/03644/25', '../../etc/passwd', '0765940893043', '765940893044', '4M-005', 'LOT-1', 'crib', 'rock n play sleper', 'a b c d e f g h i j k l',
  'FDA', 'cpsc', 'health canada', 'NASA', 'recent', 'oldest', 'relevance', 'critical', 'baby_product',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '$where', '{{7*7}}', '${7*7}', '<script>alert(1)</script>',
];

const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SPECIAL_TEXT), weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
  { arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 20 }), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom('a', 'crib ', '9', 'é', '👶', '\u0000', '%'), fc.integer({ min: 50, max: 3_000 })).map(([unit, count]) => unit.repeat(count)), weight: 1 },
);

// ---------------------------------------------------------------------------------------------------- JSON

const NUMBER_LITERALS = ['0', '-0', '1', '-1', '2', '20', '49', '50', '51', '100', '101', '10000', '10001', '1.5', '1e2', '1E-7', '1e21', '1e309', '-1e309', '9007199254740993', '123456789012345678901234567890', '0.1e-400'];
const numberLiteral = fc.oneof(
  fc.constantFrom(...NUMBER_LITERALS),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
);

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', 'product ', 'PRODUCT', 'limit\u0000', 'a.b', 'keywords[0]', '$gt', '\ud800'),
  fc.string({ maxLength: 12 }),
);

/** JSON text (not values: duplicate keys, `__proto__` and number literals beyond doubles survive as written). */
function jsonText(keys: fc.Arbitrary<string>, leaf: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    object: fc.array(fc.tuple(keys, tie('value')), { maxLength: 5 }).map((pairs) => `{${pairs.map(([key, item]) => `${JSON.stringify(key)}:${item}`).join(',')}}`),
  }));
  return value;
}

const jsonLeaf = fc.oneof(hostileText.map((text) => JSON.stringify(text)), numberLiteral, fc.constantFrom('true', 'false', 'null'));
const anyJson = jsonText(hostileKey, jsonLeaf);

/**
 * Bodies for a DTO whose fields give JSON text of a valid type: mostly objects of those fields, well typed (so the
 * request reaches the search and the database with odd but valid text) or mixed with anything under any key;
 * sometimes any JSON, broken JSON or no JSON at all.
 */
function bodyFor(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  const objectOf = (pair: fc.Arbitrary<[string, string]>) =>
    fc.array(pair, { maxLength: 5 }).map((pairs) => `{${pairs.map(([key, item]) => `${JSON.stringify(key)}:${item}`).join(',')}}`);
  const wellTyped = objectOf(fc.constantFrom(...names).chain((name) => fc.tuple(fc.constant(name), fields[name])));
  const mixed = objectOf(
    fc.oneof(
      { arbitrary: fc.constantFrom(...names).chain((name) => fc.tuple(fc.constant(name), fc.oneof(fields[name], anyJson))), weight: 4 },
      { arbitrary: fc.tuple(hostileKey, anyJson), weight: 1 },
    ),
  );
  const broken = fc.constantFrom(
    '', ' ', '{', '}', '{"product":', '{"product":"crib"', '{"product":"crib"}}', '{"product":"crib"}garbage', "{'product':'crib'}", '{product:"crib"}',
    'null', 'true', '42', '"crib"', '[]', '[{"product":"crib"}]', '\ufeff{"product":"crib"}', '{"product":"crib",}', '{"product":"cr\\ib"}',
    '{"product":"\\ud800"}', '{"product":"\\u0000"}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}',
    '{"product":"crib","product":"stroller"}', '{"limit":1e999999}', '{"limit":-0}', `${'['.repeat(5000)}${']'.repeat(5000)}`, `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`,
  );
  return fc.oneof(
    { arbitrary: wellTyped, weight: 6 },
    { arbitrary: mixed, weight: 4 },
    { arbitrary: anyJson, weight: 1 },
    { arbitrary: broken, weight: 2 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
  );
}

/** Text a person might send: known words, any printable graphemes (accents, scripts, emoji), or the special texts. */
const personText = (known: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...known), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), weight: 3 },
    { arbitrary: fc.string({ minLength: 2, maxLength: 30 }), weight: 2 },
    { arbitrary: fc.constantFrom(...SPECIAL_TEXT), weight: 2 },
  );
const quoted = (known: string[]) => personText(known).map((text) => JSON.stringify(text));
const listOf = (item: fc.Arbitrary<string>) => fc.array(item, { maxLength: 12 }).map((items) => `[${items.join(',')}]`);
const day = fc.oneof(
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
  fc.constantFrom('0000-01-01', '0000-06-01', '0001-01-01', '2019-04-12', '2021-02-29', '9999-12-31', '10000-01-01'),
);

const SEARCH_FIELDS: Record<string, fc.Arbitrary<string>> = {
  product: quoted(['crib', 'rock n play sleper', 'mamaro swing', 'infant baby', 'similac', 'CPSC-19105', '4M-005', '0765940893043']),
  query: quoted(['stroller', 'car seat', 'baby formula recall 2022']),
  keywords: listOf(quoted(['formula', 'crib', 'baby'])),
  id: quoted(['CPSC-19105', 'EU-SR/03644/25', 'FDA-F-0928-2022', 'CPSC-00000']),
  agencies: listOf(quoted(['CPSC', 'FDA', 'NHTSA', 'HEALTH_CANADA', 'EU_SAFETY_GATE', 'health canada'])),
  agency: quoted(['CPSC', 'fda', 'eu']),
  severity: quoted(['low', 'medium', 'HIGH', 'critical']),
  risk_level: quoted(['high']),
  riskCategory: quoted(['drug', 'toy', 'baby_product']),
  product_category: quoted(['food']),
  date_from: day.map((text) => JSON.stringify(text)),
  date_to: day.map((text) => JSON.stringify(text)),
  limit: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 50 }).map(String), weight: 3 }, { arbitrary: numberLiteral, weight: 1 }),
  offset: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 10_000 }).map(String), weight: 3 }, { arbitrary: numberLiteral, weight: 1 }),
  nextCursor: fc.oneof(quoted(['not-a-cursor', 'eyJ2IjoxfQ.sig']), fc.constant('null')),
};

const SAFETY_CHECK_FIELDS: Record<string, fc.Arbitrary<string>> = {
  barcode: quoted(['765940893043', '0765940893043', '00765940893043', '765940893044', '036000291452', '12345670', '0123456789012', '01234565']),
  model_number: quoted(['4M-005', '4m005', 'ZZ-99999', '--', '..//']),
  lot_number: quoted(['LOT-1', 'A1', '  ']),
  product_name: quoted(['rock n play sleeper', 'crib bumper']),
};

// ---------------------------------------------------------------------------------------------------- URLs

/** Percent-encodes any string; unpaired surrogates, which encodeURIComponent refuses, become their raw UTF-16 bytes. */
function percentEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((char) => {
      try {
        return encodeURIComponent(char);
      } catch {
        return `%${(char.charCodeAt(0) >> 8).toString(16)}%${(char.charCodeAt(0) & 0xff).toString(16).padStart(2, '0')}`;
      }
    }).join('');
  }
}

const RAW_URL_GARBAGE = ['%zz', '%', '%%', '%2', '%ff%fe', '%C0%80', '%ED%A0%80', '%00', '%0a', '%2F', '%2e%2e', '+', '&&', '==', ';', '#frag', '[]', '%u0041', '\u00e9'];
const urlPart = fc.oneof({ arbitrary: hostileText.map(percentEncode), weight: 4 }, { arbitrary: fc.constantFrom(...RAW_URL_GARBAGE), weight: 1 });

function queryFor(parameters: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const pair = fc.oneof(
    { arbitrary: fc.constantFrom(...Object.keys(parameters)).chain((name) => fc.tuple(fc.constant(name), fc.oneof({ arbitrary: parameters[name].map(percentEncode), weight: 2 }, { arbitrary: urlPart, weight: 1 }))), weight: 5 },
    { arbitrary: fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'q[]', 'a[b]', 'limit[]', '', '&'), urlPart), urlPart), weight: 1 },
  );
  return fc.tuple(fc.array(pair, { maxLength: 6 }), fc.constantFrom('&', '&', '&&', ';')).map(([pairs, separator]) =>
    pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join(separator)}`,
  );
}

const plain = (texts: string[]) => fc.oneof(personText(texts), hostileText);
const LIST_PARAMETERS = {
  q: plain(['crib', 'boppy lounger', 'x']),
  agency: plain(['CPSC', 'CPSC,FDA', ',,,', 'NASA']),
  country: plain(['US', 'CA', 'usa', '']),
  date_from: day,
  date_to: day,
  sort: plain(['recent', 'oldest', 'relevance']),
  limit: plain(['1', '20', '100', '101', '0', '-1', '1e2', '1.5', 'NaN', '']),
  cursor: plain(['not-a-cursor']),
};
const QUICK_SEARCH_PARAMETERS = { product: plain(['similac', 'crib', 'x']), limit: plain(['1', '50', '51', 'abc']) };

/** Every route and probe, and paths that are none of them. */
const PATHS = [
  '/api/v1/search/advanced', '/api/v1/recall/CPSC-19105', '/api/v1/recalls', '/api/v1/agencies', '/api/v1/fda', '/api/v1/cpsc', '/api/v1/safety-check',
  '/api/v1/admin/recalls/import', '/health/live', '/health/ready', '/readyz', '/healthz', '/api/v1/healthz', '/openapi.json', '/docs', '/docs/',
  '/', '/api', '/api/v1', '/api/v2/recalls', '/API/V1/RECALLS', '//api//v1//recalls', '/api/v1/./recalls', '/api/v1/x/../recalls', '/favicon.ico',
  '/.env', '/wp-login.php', '/api/v1/recalls;jsessionid=1', '/api/v1/recalls%3Fq=crib', '/docs/swagger-ui.css', '/docs/../package.json',
];
const METHODS = ['GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

// ---------------------------------------------------------------------------------------------------- headers

const adminToken = (claims: object, secret = JWT_SECRET) => `Bearer ${sign(claims, secret, { algorithm: 'HS256', ...('exp' in claims ? {} : { expiresIn: 600 }) })}`;
const AUTHORIZATIONS = [
  adminToken({ role: 'admin' }),
  adminToken({ roles: ['admin'] }),
  adminToken({ role: 'user' }),
  adminToken({ role: 'admin', exp: 1 }),
  adminToken({ role: 'admin' }, 'another-secret-0123456789abcdef0123456789'),
  `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"role":"admin"}').toString('base64url')}.`,
  'Bearer', 'Bearer ', 'Bearer a.b.c', 'bearer x', 'Basic dXNlcjpwYXNz', `Bearer ${'A'.repeat(8000)}`, 'Bearer \u00e9',
];
const headerText = fc.string({ unit: printableAscii, maxLength: 200 });

const headers: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'content-type': fc.oneof(
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/JSON', 'application/json;;;',
          'text/plain', 'application/xml', 'text/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', '*/*', ''),
        headerText,
      ),
      authorization: fc.oneof(fc.constantFrom(...AUTHORIZATIONS), headerText),
      'x-request-id': fc.oneof(fc.constantFrom('trace-1', 'a'.repeat(128), 'a'.repeat(129), '../x', 'x y', ''), headerText),
      accept: fc.oneof(fc.constantFrom('application/json', 'application/xml', 'text/html', '*/*', 'garbage/;;', ''), headerText),
      'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-garbage', 'gzip, gzip'),
      'x-api-key': headerText,
      'x-forwarded-for': fc.oneof(fc.constantFrom('1.2.3.4', '::1', 'garbage', '1.2.3.4, 5.6.7.8', ''), headerText),
    },
    { requiredKeys: [] },
  )
  .map((chosen) => Object.fromEntries(Object.entries(chosen).filter(([, value]) => value !== undefined)) as Record<string, string>);

const jsonHeaders = headers.map(({ 'content-type': _ignored, ...chosen }) => ({ 'content-type': 'application/json', ...chosen }));

// ---------------------------------------------------------------------------------------------------- the suite

describe('fuzzing the HTTP API (fixed seed; no 5xx, every 4xx in the envelope, no internals in any body)', () => {
  let app: NestFastifyApplication;
  /**
   * Sends every generated request and checks its answer. Some of them (4 % unless said) must succeed: the
   * generators must keep reaching the handlers and the database, not only the validation in front of them.
   */
  const check = async (requests: fc.Arbitrary<FuzzRequest>, numRuns: number, successShare = 0.04) => {
    let succeeded = 0;
    const send = async (request: FuzzRequest) => {
      const answer = await app.inject({ method: request.method, url: request.url, headers: request.headers, payload: request.payload });
      countAnswer(answer.statusCode);
      assertSafeAnswer(request, answer);
      if (answer.statusCode < 300) succeeded += 1;
    };
    await fc.assert(fc.asyncProperty(requests, send), { seed: SEED, numRuns: runs(numRuns) });
    expect(succeeded).toBeGreaterThanOrEqual(runs(numRuns) * successShare);
  };

  beforeAll(async () => {
    app = await startTestApp({ security: { jwtSecretKey: JWT_SECRET }, app: { rateLimit: { max: 0 } } });
    await importSamples(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['/api/v1/search/advanced', SEARCH_FIELDS, 250],
    ['/api/v1/safety-check', SAFETY_CHECK_FIELDS, 200],
  ] as const)('POST %s with hostile bodies and headers', async (url, fields, numRuns) => {
    const request = fc.record({ payload: bodyFor(fields), headers: fc.oneof({ arbitrary: jsonHeaders, weight: 4 }, { arbitrary: headers, weight: 1 }) });
    await check(request.map((parts): FuzzRequest => ({ method: 'POST', url, ...parts })), numRuns);
  });

  it('POST /api/v1/admin/recalls/import with and without a valid JWT, hostile bodies and sources', async () => {
    // A real feed, as it is or with one of its texts replaced by hostile text.
    const feed = readFileSync(join(FIXTURES_DIR, 'cpsc-with-broken-records.json'), 'utf8');
    const records = JSON.parse(feed) as Array<Record<string, unknown>>;
    const alteredFeed = fc.tuple(fc.nat(records.length - 1), fc.constantFrom('Title', 'Description', 'RecallNumber', 'RecallDate', 'LastPublishDate', 'URL'), hostileText).map(([index, field, text]) =>
      JSON.stringify(records.map((record, position) => (position === index ? { ...record, [field]: text } : record))),
    );
    const request = fc.record({
      query: fc.oneof(fc.constant(''), fc.constant('?source=cpsc'), urlPart.map((source) => `?source=${source}`)),
      payload: fc.oneof(
        { arbitrary: fc.constant(feed), weight: 2 },
        { arbitrary: alteredFeed, weight: 3 },
        { arbitrary: anyJson, weight: 1 },
        { arbitrary: bodyFor({ Recalls: anyJson, results: listOf(anyJson), meta: anyJson }), weight: 1 },
        { arbitrary: fc.constantFrom('<a>', '<?xml version="1.0"?><x', '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', ''), weight: 1 },
      ),
      headers: fc.tuple(jsonHeaders, fc.constantFrom(AUTHORIZATIONS[0], AUTHORIZATIONS[0], AUTHORIZATIONS[1], AUTHORIZATIONS[2], undefined)).map(([chosen, authorization]) => ({ ...chosen, ...(authorization ? { authorization } : {}) })),
    });
    await check(request.map(({ query, ...parts }): FuzzRequest => ({ method: 'POST', url: `/api/v1/admin/recalls/import${query}`, ...parts })), 120);
  });

  it.each([
    ['/api/v1/recalls', LIST_PARAMETERS, 200],
    ['/api/v1/fda', QUICK_SEARCH_PARAMETERS, 80],
    ['/api/v1/cpsc', QUICK_SEARCH_PARAMETERS, 80],
    ['/api/v1/agencies', {}, 30],
  ] as const)('GET %s with hostile query strings and headers', async (path, parameters, numRuns) => {
    const request = fc.record({ query: Object.keys(parameters).length ? queryFor(parameters) : fc.constant('?x=1'), headers });
    await check(request.map(({ query, headers: chosen }): FuzzRequest => ({ method: 'GET', url: `${path}${query}`, headers: chosen })), numRuns);
  });

  it('GET /api/v1/recall/:id with hostile ids, percent-encoding garbage, dot segments and very long paths', async () => {
    const id = fc.oneof(
      { arbitrary: fc.array(urlPart, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/')), weight: 4 },
      { arbitrary: fc.constantFrom('CPSC-19105', 'EU-SR%2F03644%2F25', 'EU-SR/03644/25', '..', '../agencies', '%2e%2e/%2e%2e/health/live', '.', '', '*', 'CPSC-19105/', 'CPSC-19105?x=1', 'cpsc-19105'), weight: 2 },
      { arbitrary: fc.integer({ min: 100, max: 30_000 }).map((length) => 'A'.repeat(length)), weight: 1 },
    );
    await check(fc.record({ id, headers }).map(({ id: chosen, headers: sent }): FuzzRequest => ({ method: 'GET', url: `/api/v1/recall/${chosen}`, headers: sent })), 200);
  });

  it('every route, probe and unknown path, under any method, with hostile suffixes', async () => {
    const suffix = fc.oneof(
      { arbitrary: fc.constant(''), weight: 3 },
      { arbitrary: fc.constantFrom('/', '//', '/.', '/..', '/%2e%2e', '/%2E', '?', '?&', '#', '/%00', '%00', '/%zz'), weight: 2 },
      { arbitrary: urlPart.map((part) => `/${part}`), weight: 2 },
      { arbitrary: fc.integer({ min: 1000, max: 30_000 }).map((length) => `/${'x'.repeat(length)}`), weight: 1 },
    );
    const request = fc.record({
      method: fc.constantFrom(...METHODS),
      path: fc.constantFrom(...PATHS),
      suffix,
      headers,
      payload: fc.option(bodyFor(SEARCH_FIELDS), { nil: undefined }),
    });
    await check(
      request.map(({ path, suffix: tail, payload, method, ...rest }): FuzzRequest => ({ ...rest, method, url: `${path}${tail}`, payload: method === 'GET' || method === 'HEAD' ? undefined : payload })),
      250,
      0.02,
    );
  });

  describe('raw bytes over a real connection', () => {
    let port: number;
    beforeAll(async () => {
      await app.listen(0, '127.0.0.1');
      port = (app.getHttpServer().address() as AddressInfo).port;
    });

    it('answers malformed HTTP in the envelope, or not at all, never with a 5xx or Node and Fastify bodies', async () => {
      const token = fc.oneof(fc.constantFrom('GET', 'POST', 'HEAD', 'BREW', 'G ET', '', 'get', 'PRI'), fc.string({ unit: 'binary-ascii', maxLength: 8 }));
      const target = fc.oneof(fc.constantFrom('/api/v1/agencies', '/api/v1/recall/%zz', '*', 'http://x/api/v1/agencies', '', '/ /'), urlPart.map((part) => `/api/v1/recall/${part}`), fc.string({ unit: 'binary-ascii', maxLength: 30 }));
      const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1x', 'HTTP', '', 'HTTP/9.9');
      const header = fc.oneof(
        fc.constantFrom('Host: x', 'Content-Length: -1', 'Content-Length: 1, 2', 'Content-Length: 99999999999999999999', 'Transfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked',
          'Transfer-Encoding: chunked\r\nContent-Length: 3', ' folded: value', 'No-Colon', ': empty-name', 'X-Nul: a\u0000b', 'Content-Type: application/json', 'Expect: 100-continue', 'Upgrade: h2c'),
        fc.tuple(fc.string({ unit: 'binary-ascii', maxLength: 12 }), fc.string({ unit: 'binary-ascii', maxLength: 30 })).map(([name, value]) => `${name}: ${value}`),
        fc.integer({ min: 1, max: 40 }).map((kb) => `X-Big: ${'a'.repeat(kb * 1024)}`),
      );
      const body = fc.oneof(fc.constantFrom('', '{}', '0\r\n\r\n', 'zz\r\n{}\r\n0\r\n\r\n', '5\r\n{"a"\r\n'), fc.string({ unit: 'binary-ascii', maxLength: 40 }));
      const request = fc
        .tuple(token, target, version, fc.array(header, { maxLength: 5 }), body)
        .map(([method, path, httpVersion, lines, content]) => `${method} ${path} ${httpVersion}\r\n${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n${content}`);
      let answered = 0;
      await fc.assert(
        fc.asyncProperty(request, async (bytes) => {
          const answer = await rawHttp(port, bytes);
          countAnswer(answer?.statusCode ?? 'no answer');
          if (answer === undefined) return;
          answered += 1;
          assertSafeAnswer({ method: bytes.startsWith('HEAD ') ? 'HEAD' : 'GET', url: JSON.stringify(bytes.slice(0, 200)) }, answer);
        }),
        { seed: SEED, numRuns: runs(60) },
      );
      // Most malformed requests are answered (the rest are cut off), so the property above checked real answers.
      expect(answered).toBeGreaterThan(runs(60) / 2);
    });
  });
});

describe('fuzzing with CORS origins and the rate limiter configured', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startTestApp({ app: { corsOrigins: ['https://app.babyshield.example', 'https://admin.babyshield.example'], rateLimit: { max: 1_000_000 } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers preflights and cross-origin requests to any path without a 5xx or a body outside the envelope', async () => {
    const cors = fc.record(
      {
        origin: fc.oneof(fc.constantFrom('https://app.babyshield.example', 'https://evil.example', 'null', 'https://app.babyshield.example.evil', ''), headerText),
        'access-control-request-method': fc.oneof(fc.constantFrom('GET', 'POST', 'DELETE', 'get', ''), headerText),
        'access-control-request-headers': fc.oneof(fc.constantFrom('content-type', 'content-type, x-request-id, authorization', '*', ''), headerText),
      },
      { requiredKeys: [] },
    );
    const request = fc.record({ method: fc.constantFrom(...METHODS), path: fc.constantFrom(...PATHS), cors, headers });
    const requests = request.map(({ path, cors: corsHeaders, headers: others, method }): FuzzRequest => ({
      method,
      url: path,
      headers: Object.fromEntries(Object.entries({ ...others, ...corsHeaders }).filter(([, value]) => value !== undefined)) as Record<string, string>,
    }));
    await fc.assert(
      fc.asyncProperty(requests, async (sent) => {
        const answer = await app.inject({ method: sent.method, url: sent.url, headers: sent.headers });
        countAnswer(answer.statusCode);
        assertSafeAnswer(sent, answer);
      }),
      { seed: SEED, numRuns: runs(150) },
    );
  });
});
