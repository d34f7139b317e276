import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sign } from 'jsonwebtoken';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { cpscCorpus, reportedCounts, startImport, waitUntil, writeJson } from './support/import-process';
import { freePort } from './support/service-process';
import { TcpProxy } from './support/tcp-proxy';
import { loadConfiguration } from '../src/config/configuration';
import { startTestApp } from './support/test-app';

const JWT_SECRET = 'e2e-jwt-secret-0123456789abcdef0123456789';
const workDir = mkdtempSync(join(tmpdir(), 'babyshield-import-failure-'));
// The test app below is started through the proxy; the test reads through the direct one.
const DIRECT_URL = process.env.TEST_DATABASE_URL!;

/** The test database's URL through a loopback proxy that can cut every connection, as a database going away would. */
function throughProxy(url: string, port: number): string {
  const viaProxy = new URL(url.replace(/^postgres(ql)?(\+\w+)?:/, 'postgresql:'));
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(port);
  return viaProxy.toString();
}

describe('an import while PostgreSQL goes away', () => {
  jest.setTimeout(300_000);
  let proxy: TcpProxy;
  let proxiedUrl: string;
  let app: NestFastifyApplication;
  let direct: Client;
  const count = async (pattern: string) => Number((await direct.query('SELECT COUNT(*) AS n FROM recalls WHERE recall_id LIKE $1', [pattern])).rows[0].n);

  beforeAll(async () => {
    const url = new URL(DIRECT_URL.replace(/^postgres(ql)?(\+\w+)?:/, 'postgresql:'));
    proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) }, await freePort());
    await proxy.start();
    proxiedUrl = throughProxy(DIRECT_URL, proxy.port);
    app = await startTestApp(
      loadConfiguration({ ...process.env, TEST_DATABASE_URL: proxiedUrl, JWT_SECRET_KEY: JWT_SECRET, RATE_LIMIT_MAX: '0', DB_CONNECT_TIMEOUT_MS: '2000' }),
    );
    direct = new Client({ connectionString: url.toString() });
    await direct.connect();
  });
  afterAll(async () => {
    await proxy?.stop();
    await app?.close();
    await direct?.end();
  });

  it('stops the import command with exit 3 and the counts committed; running it again completes the file, nothing twice', async () => {
    const records = 30_000;
    const feed = writeJson(join(workDir, 'large.json'), cpscCorpus(records, 500_000));
    const run = startImport(['--file', feed], { NODE_ENV: 'development', DATABASE_URL: proxiedUrl, DB_CONNECT_TIMEOUT_MS: '2000' });
    await waitUntil(async () => (await count('CPSC-5%')) >= 1000 || run.child.exitCode !== null, 'two batches committed');
    await proxy.stop();
    const { code, output } = await run.exited;
    expect(code).toBe(3);
    expect(output).toMatch(/import stopped, the database failed during the import: /);
    expect(output).toMatch(/committed before the failure: cpsc: read \d+, inserted \d+, updated 0, unchanged 0, rejected 0/);
    expect(output).toMatch(/run the same import again to complete it/);
    const stored = await count('CPSC-5%');
    expect(stored % 500).toBe(0); // whole batches only
    // A commit whose answer was cut off can be stored without the command knowing: never the other way round.
    expect(reportedCounts(output).inserted).toBeLessThanOrEqual(stored);
    expect(stored).toBeLessThan(records);

    await proxy.start();
    const again = await startImport(['--file', feed], { NODE_ENV: 'development', DATABASE_URL: proxiedUrl }).exited;
    expect(again.code).toBe(0);
    expect(reportedCounts(again.output)).toEqual({ read: records, inserted: records - stored, updated: 0, unchanged: stored, rejected: 0 });
    expect(await count('CPSC-5%')).toBe(records);
  });

  it('leaves whole batches only when the command is killed (SIGKILL) with batches in flight, and a second run completes the file', async () => {
    const records = 20_000;
    const feed = writeJson(join(workDir, 'killed.json'), cpscCorpus(records, 600_000));
    const run = startImport(['--file', feed], { NODE_ENV: 'development', DATABASE_URL: DIRECT_URL });
    await waitUntil(async () => (await count('CPSC-6%')) >= 1000 || run.child.exitCode !== null, 'two batches committed');
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    // The server rolls back what the killed process had not committed once it notices the connection is gone.
    const openTransactions = async () =>
      Number((await direct.query("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")).rows[0].n);
    await waitUntil(async () => (await openTransactions()) === 0, 'the killed transactions rolled back', 30_000);
    const stored = await count('CPSC-6%');
    expect(stored % 500).toBe(0);
    expect(stored).toBeLessThan(records);

    const again = await startImport(['--file', feed], { NODE_ENV: 'development', DATABASE_URL: DIRECT_URL }).exited;
    expect(again.code).toBe(0);
    expect(reportedCounts(again.output)).toEqual({ read: records, inserted: records - stored, updated: 0, unchanged: stored, rejected: 0 });
    expect(await count('CPSC-6%')).toBe(records);
  });

  it('runs in production with only the database settings: no SECRET_KEY or JWT_SECRET_KEY asked for', async () => {
    const feed = writeJson(join(workDir, 'production.json'), cpscCorpus(50, 700_000));
    const run = await startImport(['--file', feed], { NODE_ENV: 'production', DATABASE_URL: DIRECT_URL }).exited;
    expect(run.output).not.toMatch(/SECRET_KEY/);
    expect(run.code).toBe(0);
    expect(reportedCounts(run.output)).toMatchObject({ read: 50, inserted: 50 });
    expect(await count('CPSC-7%')).toBe(50);
  });

  it('exits 3 when the database cannot be reached at all', async () => {
    await proxy.stop();
    try {
      const run = await startImport(['--file', join(workDir, 'large.json')], { NODE_ENV: 'development', DATABASE_URL: proxiedUrl, DB_CONNECT_TIMEOUT_MS: '2000' }).exited;
      expect(run.code).toBe(3);
      expect(run.output).toMatch(/Cannot connect to the database/);
    } finally {
      await proxy.start();
    }
  });

  it('answers an admin import 503 SERVICE_UNAVAILABLE while the database is down, and imports the document once it is back', async () => {
    const token = `Bearer ${sign({ role: 'admin' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 600 })}`;
    const upload = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/admin/recalls/import',
        payload: JSON.stringify(cpscCorpus(200, 900_000)),
        headers: { 'content-type': 'application/json', authorization: token },
      });
    await proxy.stop();
    try {
      const response = await upload();
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        ok: false,
        error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/^The database failed during the import; committed before the failure: inserted 0, /) },
        traceId: expect.any(String),
      });
    } finally {
      await proxy.start();
    }
    await waitUntil(async () => (await upload()).statusCode === 200, 'the admin import working again', 30_000);
    expect(await count('CPSC-9%')).toBe(200);
  });
});
