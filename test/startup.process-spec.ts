import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, spawnService, waitForHttp } from './support/service-process';

// Each test starts the real service through ts-node: seconds on a loaded machine. (jest.setTimeout applies to the
// whole file wherever it is called, so it is called once, here.)
jest.setTimeout(60_000);

const STRONG = { SECRET_KEY: 'b5f0c3e1a9d24f7e8c6b1a0d3e5f7a9c', JWT_SECRET_KEY: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' };

async function refusedStart(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const service = spawnService({ ...env, PORT: String(port) });
  const code = await service.exited;
  const output = service.output();
  expect(code).toBe(1);
  expect(output).toContain('BabyShield cannot start: Invalid configuration');
  expect(output).not.toMatch(/^\s+at /m); // no stack trace
  expect(output).not.toContain('Listening on');
  await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  return output;
}

describe('start-up refusals (a real process)', () => {

  it('refuses a sqlite DATABASE_URL in production, exit code 1', async () => {
    const output = await refusedStart({ NODE_ENV: 'production', DATABASE_URL: 'sqlite:///./prod.db', ...STRONG });
    expect(output).toContain('DATABASE_URL points at SQLite; production needs PostgreSQL');
  });

  it('refuses production without a database URL', async () => {
    const output = await refusedStart({ ENVIRONMENT: 'production', ...STRONG });
    expect(output).toContain('DATABASE_URL is required in production');
  });

  it('refuses a placeholder secret and lists every problem, one line each', async () => {
    const output = await refusedStart({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://app:hunter2-secret@127.0.0.1:1/babyshield',
      SECRET_KEY: 'changeme',
      JWT_SECRET_KEY: 'short',
      TEST_MODE: 'true',
    });
    expect(output).toContain('  - TEST_MODE=true is not allowed in production');
    expect(output).toContain('  - SECRET_KEY is a known placeholder value');
    expect(output).toContain('  - JWT_SECRET_KEY must be at least 32 characters (got 5)');
    expect(output).not.toContain('hunter2-secret');
  });

  it('refuses a malformed DATABASE_URL naming the variable, never the password', async () => {
    const output = await refusedStart({ DATABASE_URL: 'postgresql://app:hunter2-secret@db:port/x' });
    expect(output).toContain('DATABASE_URL has an invalid port "port"');
    expect(output).not.toContain('hunter2-secret');
  });
});

describe('graceful shutdown (a real process)', () => {

  it('on SIGTERM turns readiness 503 at once, keeps serving for the grace period, then exits 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const service = spawnService({ TEST_MODE: 'true', PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_GRACE_MS: '1500' });
    await waitForHttp(`${base}/health/ready`);

    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${base}/health/ready`)).status).toBe(503);
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/healthz`)).status).toBe(200);

    expect(await service.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(1400);
    expect(service.output()).toContain('HTTP server and database pool closed');
  });
});

describe('operator problems at start-up: one line, exit code 1 (a real process)', () => {
  // Tests run as root, and root writes through chmod 0555: a path under a regular file is unwritable for anyone.
  const scratch = mkdtempSync(join(tmpdir(), 'babyshield-startup-'));
  const aFile = join(scratch, 'not-a-directory');
  writeFileSync(aFile, 'a file where a directory should be\n');

  async function failedStart(env: Record<string, string>): Promise<string> {
    const service = spawnService({ HOST: '127.0.0.1', SAMPLE_DATA_AUTOLOAD: 'false', ...env });
    expect(await service.exited).toBe(1);
    const output = service.output();
    expect(output).not.toMatch(/^\s+at /m); // no stack trace
    expect(output).not.toContain('Listening on');
    expect(output.split('\n').filter((line) => line.includes('cannot start'))).toHaveLength(1);
    return output;
  }

  it('names the SQLite file and the reason when its directory cannot be created', async () => {
    const file = join(aFile, 'data', 'babyshield_dev.db');
    const output = await failedStart({ NODE_ENV: 'development', DATABASE_URL: `sqlite:///${file}`, PORT: String(await freePort()) });
    expect(output).toContain(
      `BabyShield cannot start: cannot open the SQLite database file ${file}: its directory ${dirname(file)} cannot be created (a part of its path is a file, not a directory)`,
    );
    expect(output).not.toMatch(/ENOTDIR|unable to open database file|ExceptionHandler/);
  });

  it('names the development default file and the reason when ./data is read-only', async () => {
    // The default path is relative to the working directory: run from a directory whose ./data is read-only
    // (0555). Root writes through that, so as root the service runs as "nobody".
    const workingDirectory = mkdtempSync(join(tmpdir(), 'babyshield-readonly-'));
    mkdirSync(join(workingDirectory, 'data'));
    chmodSync(workingDirectory, 0o755);
    chmodSync(join(workingDirectory, 'data'), 0o555);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const service = spawnService(
      { NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(await freePort()), SAMPLE_DATA_AUTOLOAD: 'false' },
      { cwd: workingDirectory, ...asNobody },
    );
    expect(await service.exited).toBe(1);
    const output = service.output();
    expect(output).toContain(
      'BabyShield cannot start: cannot open the SQLite database file ./data/babyshield_dev.db: its directory ./data is not writable (permission denied)',
    );
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toMatch(/unable to open database file|ExceptionHandler/);
  });

  it('names the SQLite file and the reason when the file cannot be opened', async () => {
    const output = await failedStart({ NODE_ENV: 'development', DATABASE_URL: `sqlite:///${scratch}`, PORT: String(await freePort()) });
    expect(output).toContain(`BabyShield cannot start: cannot open the SQLite database file ${scratch}: it is a directory`);
    expect(output).not.toMatch(/unable to open database file|ExceptionHandler/);
  });

  it('names the PostgreSQL server and the reason when it cannot be reached, without a stack trace', async () => {
    const closedPort = await freePort();
    const output = await failedStart({
      NODE_ENV: 'development',
      DATABASE_URL: `postgresql://babyshield:s3cret@127.0.0.1:${closedPort}/babyshield`,
      DB_CONNECT_TIMEOUT_MS: '1000',
      PORT: String(await freePort()),
    });
    expect(output).toContain(`BabyShield cannot start: cannot connect to PostgreSQL at 127.0.0.1:${closedPort} (database babyshield): connection refused`);
    expect(output).not.toMatch(/ExceptionHandler|Retrying|FATAL|s3cret/);
  });

  it('says the port is in use and suggests PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const output = await failedStart({ TEST_MODE: 'true', PORT: String(port) });
      expect(output).toContain(`BabyShield cannot start: port ${port} on 127.0.0.1 is already in use; stop the other process or set PORT to a free port`);
      expect(output).not.toMatch(/EADDRINUSE|FATAL/);
    } finally {
      taken.close();
    }
  });
});

describe('a schema older than the code (a real process)', () => {

  it('logs one line at start-up telling the operator to run the migrations, and stays not ready', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const service = spawnService({ TEST_MODE: 'true', DB_RUN_MIGRATIONS: 'false', PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_GRACE_MS: '0' });
    try {
      await waitForHttp(`${base}/health/live`, 45_000);
      expect((await fetch(`${base}/health/ready`)).status).toBe(503);
      const advice = service.output().split('\n').filter((line) => line.includes('npm run migration:run'));
      expect(advice).toHaveLength(1);
      expect(advice[0]).toMatch(/database schema is behind: \d+ migration\(s\) pending/);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });
});
