import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR, SAMPLES_DIR } from './support/samples';

const ROOT = join(__dirname, '..');
const workDir = mkdtempSync(join(tmpdir(), 'babyshield-cli-'));
const databaseUrl = `sqlite:///${join(workDir, 'cli.db')}`;

function runImport(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register', join(ROOT, 'src/recalls/import/import.command.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'development', DATABASE_URL: databaseUrl },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run recalls:import (a real process)', () => {
  jest.setTimeout(60_000);

  it('imports a file, then reports it all unchanged the second time (exit 0)', async () => {
    const file = join(SAMPLES_DIR, 'cpsc-recalls.json');
    const first = await runImport(['--file', file]);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/cpsc: read 19, inserted 19, updated 0, unchanged 0, rejected 0/);
    const second = await runImport(['--file', file, '--source', 'cpsc']);
    expect(second.code).toBe(0);
    expect(second.output).toMatch(/read 19, inserted 0, updated 0, unchanged 19, rejected 0/);
  });

  it('loads the good records of a broken file, lists the broken ones, and still exits 0', async () => {
    const result = await runImport(['--file', join(FIXTURES_DIR, 'cpsc-with-broken-records.json')]);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/rejected 3/);
    expect(result.output).toContain('rejected record #1: RecallNumber is missing or empty');
    expect(result.output).toContain('rejected record #3 (16249): RecallDate "not-a-date" is not a date');
    expect(result.output).toContain('rejected record #5 (21778): Products is not a list');
  });

  it('exits 2 for a missing file or an unknown format, 1 for bad arguments', async () => {
    const unknown = join(workDir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ hello: 'world' }));
    expect((await runImport(['--file', join(workDir, 'missing.json')])).code).toBe(2);
    const result = await runImport(['--file', unknown]);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/unknown feed format/);
    expect((await runImport([])).code).toBe(1);
    expect((await runImport(['--file', unknown, '--source', 'nasa'])).code).toBe(1);
  });

  it('fetches a feed over HTTP (local stub server) with retries, and imports it', async () => {
    const body = readFileSync(join(SAMPLES_DIR, 'health-canada-recalls.json'));
    let hits = 0;
    const server = createServer((_request, response) => {
      hits += 1;
      if (hits === 1) return void response.writeHead(502).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const result = await runImport(['--url', `http://127.0.0.1:${port}/HCRSAMOpenData.json`, '--retries', '2']);
      expect(result.code).toBe(0);
      expect(result.output).toMatch(/attempt 1 failed: HTTP 502/);
      expect(result.output).toMatch(/health-canada: read 7, inserted 7/);
    } finally {
      server.close();
    }
  });
});
