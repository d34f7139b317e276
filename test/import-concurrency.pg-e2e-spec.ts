import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sign } from 'jsonwebtoken';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { cpscCorpus, reportedCounts, startImport, waitUntil, writeJson } from './support/import-process';
import { startTestApp } from './support/test-app';

const JWT_SECRET = 'e2e-jwt-secret-0123456789abcdef0123456789';
const workDir = mkdtempSync(join(tmpdir(), 'babyshield-concurrent-'));

/** The import command on this run's PostgreSQL test database, as a process of its own. */
function runImport(file: string) {
  return startImport(['--file', file], { NODE_ENV: 'development', DATABASE_URL: process.env.TEST_DATABASE_URL! }).exited;
}

describe('concurrent imports into one PostgreSQL database', () => {
  jest.setTimeout(300_000);
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  const count = async (pattern: string) => Number((await dataSource.query('SELECT COUNT(*) AS n FROM recalls WHERE recall_id LIKE $1', [pattern]))[0].n);

  beforeAll(async () => {
    app = await startTestApp({ security: { jwtSecretKey: JWT_SECRET }, app: { rateLimit: { max: 0 }, bodyLimitBytes: 8 * 1024 * 1024 } });
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lets two processes import the same file at once: both exit 0, counts add up, every recall stored once', async () => {
    const feed = writeJson(join(workDir, 'same.json'), cpscCorpus(8000, 100_000));
    const runs = await Promise.all([runImport(feed), runImport(feed)]);
    for (const run of runs) {
      expect(run.output).not.toMatch(/duplicate key/);
      expect(run.code).toBe(0);
      const counts = reportedCounts(run.output);
      expect(counts).toMatchObject({ read: 8000, updated: 0, rejected: 0 });
      expect(counts.inserted + counts.unchanged).toBe(8000);
    }
    process.stdout.write(`two imports of one file at once: ${runs.map((run) => JSON.stringify(reportedCounts(run.output))).join(' and ')}\n`);
    expect(runs.reduce((sum, run) => sum + reportedCounts(run.output).inserted, 0)).toBe(8000);
    expect(await count('CPSC-1%')).toBe(8000);
  });

  it('lets two processes import overlapping files in opposite orders, one of them with newer copies: the newer copies win', async () => {
    // Shared recalls 205,000-208,999; the second file's copies are newer (a later LastPublishDate, another title).
    const older = cpscCorpus(9000, 200_000);
    const newer = cpscCorpus(9000, 205_000, (record) => ({ ...record, LastPublishDate: '2030-06-01T00:00:00', Title: `${record.Title} (revised)` })).reverse();
    const [first, second] = await Promise.all([runImport(writeJson(join(workDir, 'older.json'), older)), runImport(writeJson(join(workDir, 'newer.json'), newer))]);
    for (const run of [first, second]) {
      expect(run.code).toBe(0);
      const counts = reportedCounts(run.output);
      expect(counts.inserted + counts.updated + counts.unchanged + counts.rejected).toBe(counts.read);
      expect(counts.rejected).toBe(0);
    }
    process.stdout.write(`two overlapping imports at once: ${[first, second].map((run) => JSON.stringify(reportedCounts(run.output))).join(' and ')}\n`);
    expect(reportedCounts(first.output).inserted + reportedCounts(second.output).inserted).toBe(14_000);
    expect(await count('CPSC-2%')).toBe(14_000);
    const stale = await dataSource.query(
      "SELECT COUNT(*) AS n FROM recalls WHERE recall_id >= 'CPSC-205000' AND recall_id <= 'CPSC-208999' AND title NOT LIKE '%(revised)'",
    );
    expect(Number(stale[0].n)).toBe(0);
  });

  it('lets the import command and the admin endpoint import the same recalls at once', async () => {
    const records = cpscCorpus(6000, 300_000);
    const feed = writeJson(join(workDir, 'cli-and-admin.json'), records);
    const token = `Bearer ${sign({ role: 'admin' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 600 })}`;
    const cli = startImport(['--file', feed], { NODE_ENV: 'development', DATABASE_URL: process.env.TEST_DATABASE_URL! });
    await waitUntil(async () => (await count('CPSC-3%')) > 0 || cli.child.exitCode !== null, 'the command writing');
    // While the command writes from the first record on: the same recalls in documents of 1,000 (what the endpoint's
    // bounds admit) from the last one back, so the two meet.
    const summaries: Array<Record<string, any>> = [];
    for (let round = 0; cli.child.exitCode === null || round < 6; round += 1) {
      const chunk = 5 - (round % 6);
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/admin/recalls/import',
        payload: JSON.stringify(records.slice(chunk * 1000, chunk * 1000 + 1000)),
        headers: { 'content-type': 'application/json', authorization: token },
      });
      expect(response.statusCode).toBe(200);
      summaries.push(response.json().data);
    }
    const { code, output } = await cli.exited;
    expect(code).toBe(0);
    for (const summary of summaries) {
      expect(summary.inserted + summary.updated + summary.unchanged + summary.rejected.length).toBe(summary.read);
    }
    expect(reportedCounts(output).inserted + summaries.reduce((sum, summary) => sum + summary.inserted, 0)).toBe(6000);
    expect(await count('CPSC-3%')).toBe(6000);
  });
});
