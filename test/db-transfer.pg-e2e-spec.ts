import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { writeLegacyTable } from './fixtures/legacy/legacy-table';
import { QUIRKY_EXPECTED, QUIRKY_LEGACY_ROWS } from './fixtures/legacy/quirky-recalls';
import { cpscCorpus, waitUntil } from './support/import-process';
import { resetPostgresTestDatabase } from './support/test-database';
import { createSiblingDatabase, ourDatabaseWithSamples, runTransfer, startTransferProcess, transferCounts } from './support/transfer';

const workDir = mkdtempSync(join(tmpdir(), 'babyshield-transfer-pg-'));
const TARGET = process.env.TEST_DATABASE_URL!;
// The original service's URL spelling: the transfer takes it as the target too.
const TARGET_AS_PSYCOPG = TARGET.replace(/^postgres(ql)?(\+\w+)?:/, 'postgresql+psycopg:');

describe('npm run db:transfer (into PostgreSQL)', () => {
  jest.setTimeout(300_000);
  let target: Client;
  const count = async (sql: string) => Number((await target.query(sql)).rows[0].n);

  beforeAll(async () => {
    await resetPostgresTestDatabase();
    target = new Client({ connectionString: TARGET.replace(/^postgres(ql)?(\+\w+)?:/, 'postgresql:') });
    await target.connect();
  });
  afterAll(async () => {
    await target?.end();
  });

  it('copies our SQLite database into an empty PostgreSQL database, migrating it first; search tables are filled; a second run is all unchanged', async () => {
    const source = `sqlite:///${join(workDir, 'ours.db')}`;
    await ourDatabaseWithSamples(source, (importer) => importer.importElements('cpsc', toElements(cpscCorpus(300, 800_000))));
    const first = await runTransfer(source, TARGET_AS_PSYCOPG, 100);
    expect(first.output).toMatch(/is empty: applying this version's \d+ migrations first/);
    expect(first.code).toBe(0);
    const recalls = await count('SELECT count(*) AS n FROM recalls');
    expect(transferCounts(first.output)).toEqual({ read: recalls, inserted: recalls, updated: 0, unchanged: 0, rejected: 0 });
    expect(recalls).toBeGreaterThan(300);
    expect(first.output).toMatch(/recall_words: +target \d+, one per recall +ok/);
    expect(first.output).toMatch(/checksum of recall ids and content hashes: source (\w+), target \1 +ok/);
    expect(await count('SELECT count(*) AS n FROM recall_words')).toBe(recalls);
    expect(await count("SELECT count(*) AS n FROM search_vocabulary WHERE word IN ('sleeper', 'stroller')")).toBe(2);
    expect(await count("SELECT count(*) AS n FROM recall_identifiers WHERE normalized = '00765940893043'")).toBeGreaterThan(0);

    const again = await runTransfer(source, TARGET, 100);
    expect(again.code).toBe(0);
    expect(transferCounts(again.output)).toEqual({ read: recalls, inserted: 0, updated: 0, unchanged: recalls, rejected: 0 });
  });

  it('completes a transfer killed (SIGKILL) in the middle when run again, and verifies it', async () => {
    await resetPostgresTestDatabase();
    const source = `sqlite:///${join(workDir, 'large.db')}`;
    await ourDatabaseWithSamples(source, (importer) => importer.importElements('cpsc', toElements(cpscCorpus(4000, 900_000))));
    const run = startTransferProcess(['--from', source, '--to', TARGET, '--batch-size', '50']);
    const stored = async () => {
      try {
        return await count("SELECT count(*) AS n FROM recalls WHERE recall_id LIKE 'CPSC-9%'");
      } catch {
        return 0; // the migrations have not created the table yet
      }
    };
    await waitUntil(async () => (await stored()) >= 300 || run.child.exitCode !== null, 'some batches committed');
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    const openTransactions = async () =>
      count("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND xact_start IS NOT NULL");
    await waitUntil(async () => (await openTransactions()) === 0, 'the killed transactions rolled back', 30_000);
    const before = await count('SELECT count(*) AS n FROM recalls');
    expect(await stored()).toBeLessThan(4000);

    const again = await runTransfer(source, TARGET);
    expect(again.code).toBe(0);
    const counts = transferCounts(again.output);
    expect(counts.unchanged).toBe(before);
    expect(counts.inserted).toBe(counts.read - before);
    expect(again.output).toMatch(/Verified: the target holds exactly the recalls of the source/);
  });

  describe('from the original service\'s database', () => {
    let legacy: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      legacy = await createSiblingDatabase('legacy');
      await writeLegacyTable(legacy.url, QUIRKY_LEGACY_ROWS);
    });
    afterAll(async () => {
      await legacy?.drop();
    });

    it('maps a legacy PostgreSQL table (postgresql+psycopg:// URL) into ours, listing the rows it rejects; exit 0, verified', async () => {
      await resetPostgresTestDatabase();
      const from = legacy.url.replace(/^postgresql:/, 'postgresql+psycopg:');
      const run = await runTransfer(from, TARGET);
      expect(run.code).toBe(0);
      expect(transferCounts(run.output)).toEqual({ read: QUIRKY_EXPECTED.read, inserted: QUIRKY_EXPECTED.recalls, updated: 0, unchanged: 0, rejected: 4 });
      for (const recallId of Object.keys(QUIRKY_EXPECTED.rejected)) expect(run.output).toContain(`rejected ${recallId}: `);
      expect(run.output).toMatch(/Verified/);
      const stored = (await target.query("SELECT recall_id, agency_code, product_name, last_updated FROM recalls WHERE recall_id IN ('RAPEX-A12/0001/23', 'HC-75011') ORDER BY recall_id")).rows;
      expect(stored).toEqual([
        { recall_id: 'HC-75011', agency_code: 'HEALTH_CANADA', product_name: 'IKEA SMÅGÖRA baby crib', last_updated: new Date('2020-11-05T08:30:00Z') },
        { recall_id: 'RAPEX-A12/0001/23', agency_code: 'EU_SAFETY_GATE', product_name: 'Baby rattle with detachable beads', last_updated: null },
      ]);
      const again = await runTransfer(from, TARGET);
      expect(again.code).toBe(0);
      expect(transferCounts(again.output)).toMatchObject({ inserted: 0, updated: 0, unchanged: QUIRKY_EXPECTED.recalls });
    });

    it('maps a legacy SQLite database into PostgreSQL the same way', async () => {
      await resetPostgresTestDatabase();
      const from = `sqlite:///${join(workDir, 'legacy.db')}`;
      await writeLegacyTable(from, QUIRKY_LEGACY_ROWS);
      const run = await runTransfer(from, TARGET);
      expect(run.code).toBe(0);
      expect(transferCounts(run.output)).toEqual({ read: QUIRKY_EXPECTED.read, inserted: QUIRKY_EXPECTED.recalls, updated: 0, unchanged: 0, rejected: 4 });
      expect(await count("SELECT count(*) AS n FROM recalls WHERE recall_id = 'RAPEX-A12/0001/23' AND agency_code = 'EU_SAFETY_GATE'")).toBe(1);
    });
  });
});

async function* toElements(records: unknown[]): AsyncGenerator<{ position: number; value: unknown }> {
  for (const [position, value] of records.entries()) yield { position, value };
}
