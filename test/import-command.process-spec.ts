import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpscCorpus, reportedCounts, startImport, waitUntil, writeJson } from './support/import-process';
import { FIXTURES_DIR, SAMPLES_DIR } from './support/samples';

const workDir = mkdtempSync(join(tmpdir(), 'babyshield-cli-'));
const databasePath = join(workDir, 'cli.db');
const databaseUrl = `sqlite:///${databasePath}`;

async function runImport(args: string[], url = databaseUrl): Promise<{ code: number | null; output: string }> {
  return startImport(args, { NODE_ENV: 'development', DATABASE_URL: url }).exited;
}

/** Reads the SQLite file the way another process would, while an import may be writing it. */
function countRecalls(path: string, where = '1 = 1'): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return Number((db.prepare(`SELECT COUNT(*) AS n FROM recalls WHERE ${where}`).get() as { n: number }).n);
  } catch {
    return 0; // not migrated yet
  } finally {
    db.close();
  }
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

  it('exits 2 for a missing file or an unknown format, 1 for bad arguments, and documents the exit codes', async () => {
    const unknown = join(workDir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ hello: 'world' }));
    expect((await runImport(['--file', join(workDir, 'missing.json')])).code).toBe(2);
    const result = await runImport(['--file', unknown]);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/unknown feed format/);
    expect((await runImport([])).code).toBe(1);
    expect((await runImport(['--file', unknown, '--source', 'nasa'])).code).toBe(1);
    const help = await runImport(['--help']);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/^ {2}3 {2}the database failed/m);
  });

  it('lets two processes import the same file into one SQLite file at once: both finish, counts add up, nothing twice', async () => {
    const path = join(workDir, 'same-file.db');
    expect((await runImport(['--file', join(SAMPLES_DIR, 'cpsc-recalls.json')], `sqlite:///${path}`)).code).toBe(0); // migrated
    const feed = writeJson(join(workDir, 'shared.json'), cpscCorpus(6000, 700_000));
    const [first, second] = await Promise.all([0, 1].map(() => runImport(['--file', feed], `sqlite:///${path}`)));
    for (const run of [first, second]) {
      expect(run.code).toBe(0);
      const counts = reportedCounts(run.output);
      expect(counts).toMatchObject({ read: 6000, updated: 0, rejected: 0 });
      expect(counts.inserted + counts.unchanged).toBe(6000);
    }
    expect(reportedCounts(first.output).inserted + reportedCounts(second.output).inserted).toBe(6000);
    expect(countRecalls(path, "recall_id LIKE 'CPSC-7%'")).toBe(6000);
  }, 240_000);

  it('leaves whole batches only when killed (SIGKILL) mid-import, and a second run completes the file', async () => {
    const path = join(workDir, 'killed.db');
    const url = `sqlite:///${path}`;
    expect((await runImport(['--file', join(SAMPLES_DIR, 'cpsc-recalls.json')], url)).code).toBe(0); // migrated
    const records = 20_000;
    const feed = writeJson(join(workDir, 'large.json'), cpscCorpus(records, 800_000));
    const run = startImport(['--file', feed], { NODE_ENV: 'development', DATABASE_URL: url });
    await waitUntil(() => countRecalls(path, "recall_id LIKE 'CPSC-8%'") > 0 || run.child.exitCode !== null, 'a first batch committed');
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');

    const stored = countRecalls(path, "recall_id LIKE 'CPSC-8%'");
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(records);
    expect(stored % 500).toBe(0); // batches of 500, each one transaction
    const db = new Database(path, { readonly: true });
    const orphans = db.prepare('SELECT COUNT(*) AS n FROM recall_identifiers i LEFT JOIN recalls r ON r.id = i.recall_pk WHERE r.id IS NULL').get() as { n: number };
    db.close();
    expect(orphans.n).toBe(0);

    const again = await runImport(['--file', feed], url);
    expect(again.code).toBe(0);
    expect(reportedCounts(again.output)).toEqual({ read: records, inserted: records - stored, updated: 0, unchanged: stored, rejected: 0 });
    expect(countRecalls(path, "recall_id LIKE 'CPSC-8%'")).toBe(records);
  }, 240_000);

  it('rejects the records a database cannot hold and lists each with its position and recall id (exit 0)', async () => {
    const result = await runImport(['--file', join(FIXTURES_DIR, 'cpsc-hostile-values.json')]);
    expect(result.code).toBe(0);
    expect(reportedCounts(result.output)).toEqual({ read: 13, inserted: 5, updated: 0, unchanged: 0, rejected: 8 });
    expect(result.output).toContain('rejected record #0 (91\\u0000001): the recall id holds a control character');
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
