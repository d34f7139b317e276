import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ImportSummary, RecallImporter } from '../src/recalls/import/recall-importer';
import { cpscCorpus, writeJson } from './support/import-process';
import { FIXTURES_DIR } from './support/samples';
import { isPostgresRun } from './support/test-database';
import { startTestApp } from './support/test-app';

const HOSTILE_FEED = join(FIXTURES_DIR, 'cpsc-hostile-values.json');
const workDir = mkdtempSync(join(tmpdir(), 'babyshield-hostile-'));

const writeFeed = (name: string, records: unknown[]) => writeJson(join(workDir, name), records);

function expectCountsAddUp(summary: ImportSummary): void {
  expect(summary.inserted + summary.updated + summary.unchanged + summary.rejected.length).toBe(summary.read);
}

describe('importing values a database cannot store', () => {
  let app: NestFastifyApplication;
  let importer: RecallImporter;
  let dataSource: DataSource;
  const storedIds = async (prefix: string): Promise<string[]> =>
    (await dataSource.query(`SELECT recall_id FROM recalls WHERE recall_id LIKE '${prefix}%' ORDER BY recall_id`)).map((row: { recall_id: string }) => row.recall_id);

  beforeAll(async () => {
    app = await startTestApp();
    importer = app.get(RecallImporter);
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('a CPSC feed with NUL characters, unpaired surrogates, impossible dates and numbers, and over-long values', () => {
    let first: ImportSummary;
    beforeAll(async () => {
      first = await importer.importFile(HOSTILE_FEED);
    });

    it('rejects only the records that cannot be stored as given, each with position, recall id and reason', () => {
      expect(first).toMatchObject({ source: 'cpsc', read: 13, inserted: 5, updated: 0, unchanged: 0 });
      expectCountsAddUp(first);
      expect(first.rejected).toEqual([
        { position: 0, recallId: '91\u0000001', reason: 'the recall id holds a control character' },
        { position: 3, recallId: '91004', reason: 'RecallDate "0000-01-01T00:00:00" is not a date' },
        { position: 4, recallId: '91005', reason: 'RecallDate "99999-01-01T00:00:00" is not a date' },
        { position: 5, recallId: '91006', reason: 'LastPublishDate "0000-12-31T00:00:00" is not a date' },
        { position: 6, recallId: '91007', reason: 'Products[0].NumberOfUnits is not a finite number' },
        { position: 8, recallId: `9${'1'.repeat(199)}`, reason: 'the recall id is longer than 120 characters' },
        { position: 10, recallId: '91011', reason: 'the title holds no text once NUL characters are dropped' },
        { position: 11, recallId: '91\ud800012', reason: 'the recall id holds an unpaired UTF-16 surrogate' },
      ]);
    });

    it('holds exactly the accepted records', async () => {
      expect(await storedIds('CPSC-91')).toEqual(['CPSC-91002', 'CPSC-91003', 'CPSC-91008', 'CPSC-91010', 'CPSC-91013']);
    });

    it('drops NUL characters from every text field, the same way on both databases', async () => {
      const [row] = await dataSource.query("SELECT title, description, manufacturer, product_name, hazard FROM recalls WHERE recall_id = 'CPSC-91002'");
      expect(row.title).toMatch(/^NulChar Baby Recalls Cribs /);
      expect(row.description).toMatch(/^Beforeafter\. /);
      expect(row.manufacturer).toBe('NulChar Baby Co.');
      expect(row.product_name).toBe('NulChar Crib');
      expect(row.hazard).toBe('The crib can collapse.');
      const models = await dataSource.query(
        "SELECT i.value, i.normalized FROM recall_identifiers i JOIN recalls r ON r.id = i.recall_pk WHERE r.recall_id = 'CPSC-91002' AND i.kind = 'model_number' ORDER BY i.position",
      );
      expect(models[0]).toEqual({ value: 'NC-100', normalized: 'NC100' });
    });

    it('replaces unpaired UTF-16 surrogates with U+FFFD', async () => {
      const [row] = await dataSource.query("SELECT title, description FROM recalls WHERE recall_id = 'CPSC-91003'");
      expect(row.title).toBe('Lone \uFFFD Surrogate Recalls Strollers');
      expect(row.description).toMatch(/^Half a pair \uFFFD here\. /);
    });

    it('keeps a unit count beyond any integer type as the text it is', async () => {
      const [row] = await dataSource.query("SELECT units_affected FROM recalls WHERE recall_id = 'CPSC-91008'");
      expect(row.units_affected).toBe('100000000000000000000');
    });

    it('does not take a 100-character product code for a model number', async () => {
      const models = await dataSource.query(
        "SELECT i.normalized FROM recall_identifiers i JOIN recalls r ON r.id = i.recall_pk WHERE r.recall_id = 'CPSC-91010' AND i.kind = 'model_number'",
      );
      expect(models.every((model: { normalized: string }) => model.normalized.length <= 64)).toBe(true);
    });

    it('reports every accepted record unchanged when the same feed is imported again', async () => {
      const second = await importer.importFile(HOSTILE_FEED);
      expect(second).toMatchObject({ read: 13, inserted: 0, updated: 0, unchanged: 5 });
      expect(second.rejected).toEqual(first.rejected);
    });
  });

  it('rejects only the record whose RecallNumber holds a NUL character among 5,000 (the other 499 of its batch load)', async () => {
    const corpus = cpscCorpus(5000, 300_000, (record, index) => (index === 2345 ? { ...record, RecallNumber: `${record.RecallNumber}\u0000` } : record));
    const summary = await importer.importFile(writeFeed('nul-recall-number.json', corpus));
    expect(summary).toMatchObject({ read: 5000, inserted: 4999, updated: 0, unchanged: 0 });
    expect(summary.rejected).toEqual([{ position: 2345, recallId: '302345\u0000', reason: 'the recall id holds a control character' }]);
    expect((await storedIds('CPSC-3')).length).toBe(4999);
    expect(await importer.importFile(writeFeed('nul-recall-number.json', corpus))).toMatchObject({ inserted: 0, unchanged: 4999 });
  }, 120_000);

  describe('records the database itself refuses', () => {
    const MARK = '[refused by the database]';
    // A rule of the database's own (a CHECK constraint on PostgreSQL, a trigger on SQLite) that refuses marked titles.
    beforeAll(async () => {
      if (isPostgresRun()) {
        await dataSource.query(`ALTER TABLE recalls ADD CONSTRAINT recalls_title_not_refused CHECK (position('${MARK}' in title) = 0)`);
      } else {
        for (const event of ['INSERT', 'UPDATE']) {
          await dataSource.query(
            `CREATE TRIGGER recalls_refuse_marked_${event.toLowerCase()} BEFORE ${event} ON recalls WHEN instr(NEW.title, '${MARK}') > 0
             BEGIN SELECT RAISE(ABORT, 'title refused'); END`,
          );
        }
      }
    });
    afterAll(async () => {
      if (isPostgresRun()) await dataSource.query('ALTER TABLE recalls DROP CONSTRAINT recalls_title_not_refused');
      else for (const event of ['insert', 'update']) await dataSource.query(`DROP TRIGGER recalls_refuse_marked_${event}`);
    });

    it('retries a refused batch in smaller pieces, so only the refused records are rejected', async () => {
      const refused = [10, 700, 1199];
      const corpus = cpscCorpus(1200, 400_000, (record, index) => (refused.includes(index) ? { ...record, Title: `${record.Title} ${MARK}` } : record));
      const summary = await importer.importFile(writeFeed('some-refused.json', corpus));
      expect(summary).toMatchObject({ read: 1200, inserted: 1197, updated: 0, unchanged: 0 });
      expect(summary.rejected).toEqual(
        refused.map((position) => ({ position, recallId: `CPSC-${400_000 + position}`, reason: expect.stringMatching(/^the database refused the record: .*(refused|check constraint)/) })),
      );
      const stored = await storedIds('CPSC-4');
      expect(stored).toHaveLength(1197);
      expect(stored).not.toEqual(expect.arrayContaining(refused.map((position) => `CPSC-${400_000 + position}`)));
    }, 120_000);

    it('rejects a refused update and keeps the stored recall as it was', async () => {
      const original = cpscCorpus(2, 400_000)[1];
      const newer = { ...original, LastPublishDate: '2031-01-01T00:00:00', Title: `${original.Title} ${MARK}` };
      const alsoNewer = cpscCorpus(1, 400_002, (record) => ({ ...record, LastPublishDate: '2031-01-01T00:00:00', Title: 'Still Accepted Recalls Cribs' }));
      const summary = await importer.importFile(writeFeed('refused-update.json', [newer, ...alsoNewer]));
      expect(summary).toMatchObject({ read: 2, inserted: 0, updated: 1, unchanged: 0 });
      expect(summary.rejected).toEqual([{ position: 0, recallId: 'CPSC-400001', reason: expect.stringMatching(/^the database refused the record: /) }]);
      const [row] = await dataSource.query("SELECT title FROM recalls WHERE recall_id = 'CPSC-400001'");
      expect(row.title).toBe(original.Title);
    });
  });
});
