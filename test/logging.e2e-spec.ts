import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createRootLogger } from '../src/common/logging';
import { SafetyCheckService } from '../src/recalls/api/safety-check.service';
import { startTestApp, testConfiguration } from './support/test-app';

type LogLine = Record<string, unknown> & { level: string; message: unknown; traceId?: string };

// nestjs-pino keeps the first application's logger for the process: this file's applications all log to `lines`.
describe('request logs (pino, JSON lines)', () => {
  let app: NestFastifyApplication;
  let lines: LogLine[] = [];

  beforeAll(async () => {
    const configuration = testConfiguration({ app: { rateLimit: { max: 0 }, logLevel: 'info', logFormat: 'json' } });
    const destination = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
    app = await startTestApp(configuration, createRootLogger(configuration.app, destination));
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await app?.close();
  });

  const linesOf = (traceId: string) => lines.filter((line) => line.traceId === traceId);
  const requestLinesOf = (traceId: string) => linesOf(traceId).filter((line) => line.statusCode !== undefined);

  it('writes one line per request with its trace id as a field, the one of X-Trace-Id, at info level', async () => {
    lines = [];
    const response = await app.inject({ method: 'GET', url: '/api/v1/agencies', headers: { 'x-request-id': 'log-ok' } });
    expect(response.headers['x-trace-id']).toBe('log-ok');
    expect(requestLinesOf('log-ok')).toEqual([
      expect.objectContaining({ level: 'info', method: 'GET', url: '/api/v1/agencies', statusCode: 200, durationMs: expect.any(Number), message: 'GET /api/v1/agencies 200' }),
    ]);
  });

  it('gives a request without X-Request-Id the trace id it answers with', async () => {
    lines = [];
    const response = await app.inject({ method: 'GET', url: '/api/v1/agencies' });
    const traceId = String(response.headers['x-trace-id']);
    expect(JSON.parse(response.body).traceId).toBe(traceId);
    expect(requestLinesOf(traceId)).toHaveLength(1);
  });

  it('logs a 4xx at info level: the client mistake was answered as designed', async () => {
    lines = [];
    await app.inject({ method: 'GET', url: '/api/v1/recall/CPSC-00000', headers: { 'x-request-id': 'log-404' } });
    expect(requestLinesOf('log-404')).toEqual([expect.objectContaining({ level: 'info', statusCode: 404 })]);
  });

  it('logs a URL the router cannot decode once, with its trace id and the reason', async () => {
    lines = [];
    await app.inject({ method: 'GET', url: '/api/v1/recall/%zz', headers: { 'x-request-id': 'log-bad-url' } });
    expect(requestLinesOf('log-bad-url')).toEqual([expect.objectContaining({ level: 'info', statusCode: 400, reason: 'FST_ERR_BAD_URL' })]);
  });

  it('puts the trace id on every line a failing request causes, the cause and the request line at error level', async () => {
    lines = [];
    jest.spyOn(app.get(SafetyCheckService), 'check').mockImplementation(async () => {
      new Logger('SafetyCheck').log('looking the barcode up');
      throw new Error('the lookup broke');
    });
    const response = await app.inject({ method: 'POST', url: '/api/v1/safety-check', payload: { barcode: '0765940893043' }, headers: { 'x-request-id': 'log-500' } });
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body).traceId).toBe('log-500');
    const logged = linesOf('log-500');
    expect(logged).toEqual([
      expect.objectContaining({ level: 'info', context: 'SafetyCheck', message: 'looking the barcode up' }),
      expect.objectContaining({ level: 'error', context: 'Errors', message: expect.stringContaining('the lookup broke') }),
      expect.objectContaining({ level: 'error', statusCode: 500, message: 'POST /api/v1/safety-check 500' }),
    ]);
  });

  it('logs a request that ends in 503 (the database is gone) at error level, with its trace id', async () => {
    lines = [];
    await app.get(DataSource).destroy();
    const response = await app.inject({ method: 'GET', url: '/api/v1/recall/CPSC-19105', headers: { 'x-request-id': 'log-503' } });
    expect(response.statusCode).toBe(503);
    expect(requestLinesOf('log-503')).toEqual([expect.objectContaining({ level: 'error', statusCode: 503 })]);
    expect(linesOf('log-503').length).toBeGreaterThan(1);
  });

  it('writes a string message on every line, also for an object or a number logged through Nest', () => {
    new Logger('Objects').warn({ detail: { count: 3 } });
    new Logger('Objects').warn({ message: { nested: true } });
    new Logger('Objects').error(new Error('an error object'));
    new Logger('Objects').log(42);
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) expect(typeof line.message).toBe('string');
    expect(lines.slice(-4).map((line) => line.message)).toEqual(['', '{"nested":true}', 'an error object', '42']);
  });
});
