import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { FeedUnreadableError, RecallImporter } from '../src/recalls/import/recall-importer';
import { StreamedElement } from '../src/recalls/import/json-array-stream';
import { FIXTURES_DIR, SAMPLE_FILES, SAMPLES_DIR } from './support/samples';
import { isPostgresRun } from './support/test-database';
import { startTestApp } from './support/test-app';

const cpscSamples = JSON.parse(readFileSync(join(SAMPLES_DIR, 'cpsc-recalls.json'), 'utf8')) as Array<Record<string, any>>;
const workDir = mkdtempSync(join(tmpdir(), 'babyshield-import-'));

function writeFeed(name: string, content: unknown): string {
  const path = join(workDir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('recall import', () => {
  let app: NestFastifyApplication;
  let importer: RecallImporter;
  let dataSource: DataSource;
  const count = async (table: string) => Number((await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    app = await startTestApp();
    importer = app.get(RecallImporter);
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(SAMPLE_FILES)('imports %s (format detected), and a second time reports everything unchanged', async (file) => {
    const first = await importer.importFile(join(SAMPLES_DIR, file));
    expect(first.rejected).toEqual([]);
    expect(first.inserted).toBeGreaterThan(0);
    const second = await importer.importFile(join(SAMPLES_DIR, file));
    expect(second).toMatchObject({ source: first.source, read: first.read, inserted: 0, updated: 0, unchanged: first.inserted, rejected: [] });
  });

  it('holds at least 25 real recalls from at least 3 agencies after importing the samples', async () => {
    expect(await count('recalls')).toBeGreaterThanOrEqual(25);
    const agencies = await dataSource.query('SELECT DISTINCT agency_code FROM recalls');
    expect(agencies.length).toBeGreaterThanOrEqual(3);
  });

  it('merges the rows of one NHTSA campaign into one recall', async () => {
    const rows = await dataSource.query("SELECT recall_id FROM recalls WHERE recall_id = 'NHTSA-15C001000'");
    expect(rows).toHaveLength(1);
  });

  it('counts every NHTSA row as what happened to its campaign, so read = inserted + updated + unchanged + rejected', async () => {
    // The sample: 6 rows, 4 campaigns (15C001000 listed for three models). Already imported above: all unchanged.
    const again = await importer.importFile(join(SAMPLES_DIR, 'nhtsa-child-seat-recalls.json'));
    expect(again).toMatchObject({ read: 6, inserted: 0, updated: 0, unchanged: 6, rejected: [] });
    const feed = JSON.parse(readFileSync(join(SAMPLES_DIR, 'nhtsa-child-seat-recalls.json'), 'utf8'));
    // The same campaigns seventy years earlier: 15C001000 -> 85C001000.
    const renumbered = feed.results.map((row: Record<string, unknown>) => ({
      ...row,
      NHTSACampaignNumber: `${row.NHTSACampaignNumber}`.replace(/^\d\d/, (year) => String(Number(year) + 70)),
    }));
    const summary = await importer.importFile(writeFeed('nhtsa-renumbered.json', { ...feed, results: renumbered }));
    expect(summary).toMatchObject({ read: 6, inserted: 6, updated: 0, unchanged: 0, rejected: [] });
    expect(await count("recalls WHERE recall_id LIKE 'NHTSA-7_C%' OR recall_id LIKE 'NHTSA-8_C%'")).toBe(4);
  });

  it('keeps the rows of one NHTSA campaign together when they straddle a batch boundary', async () => {
    const feed = JSON.parse(readFileSync(join(SAMPLES_DIR, 'nhtsa-child-seat-recalls.json'), 'utf8'));
    const campaign = feed.results.filter((row: Record<string, unknown>) => row.NHTSACampaignNumber === '15C001000');
    const rows = [feed.results[0], ...campaign].map((row: Record<string, unknown>) => ({ ...row, NHTSACampaignNumber: `${row.NHTSACampaignNumber}`.replace(/^\d\d/, '98') }));
    const summary = await new RecallImporter(dataSource, 2).importFile(writeFeed('nhtsa-straddling.json', { ...feed, results: rows }), 'nhtsa');
    expect(summary).toMatchObject({ read: 4, inserted: 4, rejected: [] });
    const [merged] = await dataSource.query("SELECT product_name FROM recalls WHERE recall_id = 'NHTSA-98C001000'");
    expect(merged.product_name.split('; ')).toHaveLength(campaign.length);
  });

  it('stores barcodes as GTIN-14 and model numbers normalised, for exact lookups', async () => {
    const identifiers = await dataSource.query(
      "SELECT i.kind, i.normalized FROM recall_identifiers i JOIN recalls r ON r.id = i.recall_pk WHERE r.recall_id = 'CPSC-19108' ORDER BY i.kind, i.normalized",
    );
    expect(identifiers).toEqual(expect.arrayContaining([{ kind: 'barcode', normalized: '00765940893043' }, { kind: 'model_number', normalized: '234180100' }]));
  });

  it('updates a recall when the feed has a newer LastPublishDate, and ignores an older copy', async () => {
    const original = cpscSamples.find((record) => record.RecallNumber === '19105')!;
    const newer = { ...original, LastPublishDate: '2023-01-10T00:00:00', Title: `${original.Title} (updated)` };
    expect(await importer.importFile(writeFeed('newer.json', [newer]))).toMatchObject({ updated: 1, inserted: 0, unchanged: 0 });
    const [row] = await dataSource.query("SELECT title FROM recalls WHERE recall_id = 'CPSC-19105'");
    expect(row.title).toMatch(/\(updated\)$/);

    const older = { ...original, LastPublishDate: '2019-04-12T00:00:00', Title: 'stale copy' };
    expect(await importer.importFile(writeFeed('older.json', [older]))).toMatchObject({ updated: 0, unchanged: 1 });
    const [after] = await dataSource.query("SELECT title FROM recalls WHERE recall_id = 'CPSC-19105'");
    expect(after.title).toMatch(/\(updated\)$/);
  });

  it('loads the good records of a file with broken ones and lists each broken one with position and reason', async () => {
    const summary = await importer.importFile(join(FIXTURES_DIR, 'cpsc-with-broken-records.json'));
    expect(summary.read).toBe(6);
    expect(summary.inserted + summary.unchanged + summary.updated).toBe(3);
    expect(summary.rejected).toEqual([
      { position: 1, reason: 'RecallNumber is missing or empty' },
      { position: 3, recallId: expect.any(String), reason: 'RecallDate "not-a-date" is not a date' },
      { position: 5, recallId: expect.any(String), reason: 'Products is not a list' },
    ]);
  });

  it('rejects the CPSC error row instead of importing it', async () => {
    const summary = await importer.importFile(join(FIXTURES_DIR, 'cpsc-error-row.json'));
    expect(summary).toMatchObject({ inserted: 0, rejected: [{ position: 0, reason: expect.stringMatching(/^the feed returned an error row: Error retrieving Recalls/) }] });
  });

  it('rejects records that are not objects or not valid JSON, and keeps the rest', async () => {
    const good = { ...cpscSamples[0], RecallNumber: '99901', RecallID: 99901 };
    const path = writeFeed('mixed.json', `[${JSON.stringify(good)}, 17, "text", null]`);
    const summary = await importer.importFile(path, 'cpsc');
    expect(summary.inserted).toBe(1);
    expect(summary.rejected.map((rejection) => rejection.position)).toEqual([1, 2, 3]);
  });

  it('refuses an unknown format, a truncated file and a missing file as unreadable', async () => {
    await expect(importer.importFile(writeFeed('unknown.json', { hello: 'world' }))).rejects.toThrow(FeedUnreadableError);
    await expect(importer.importFile(writeFeed('truncated.json', JSON.stringify(cpscSamples).slice(0, 5000)), 'cpsc')).rejects.toThrow(/ends early/);
    await expect(importer.importFile(join(workDir, 'nope.json'))).rejects.toThrow(/cannot read the file/);
  });

  it('leaves the database consistent when an import dies mid-file: whole batches or nothing', async () => {
    const before = await count('recalls');
    const identifiersBefore = await count('recall_identifiers');
    const smallBatches = new RecallImporter(dataSource, 3);
    async function* dyingFeed(): AsyncGenerator<StreamedElement> {
      for (let position = 0; position < 5; position += 1) {
        yield { position, value: { ...cpscSamples[position], RecallNumber: `8800${position}`, RecallID: 88000 + position } };
      }
      throw new Error('connection to the feed lost');
    }
    await expect(smallBatches.importElements('cpsc', dyingFeed())).rejects.toThrow('connection to the feed lost');
    expect(await count('recalls')).toBe(before + 3); // the first batch committed, the second never started
    const orphans = await dataSource.query('SELECT COUNT(*) AS n FROM recall_identifiers i LEFT JOIN recalls r ON r.id = i.recall_pk WHERE r.id IS NULL');
    expect(Number(orphans[0].n)).toBe(0);
    expect(await count('recall_identifiers')).toBeGreaterThanOrEqual(identifiersBefore);
  });

  it('stores every text exactly as the feed has it, whatever characters it holds', async () => {
    const awkward = 'Tab\there, new\nline, CR\r, back\\slash, \\N, "quotes", émoji 🍼, 漢字, \\t as text';
    const record = { ...cpscSamples[0], RecallNumber: '99950', RecallID: 99950, Title: `Awkward Recalls Awkward Sleepers ${awkward}`, Description: awkward };
    const path = writeFeed('awkward.json', JSON.stringify([record], null, 2));
    expect(await importer.importFile(path)).toMatchObject({ inserted: 1, rejected: [] });
    const [row] = await dataSource.query("SELECT title, description, source FROM recalls WHERE recall_id = 'CPSC-99950'");
    expect(row.description).toBe(awkward);
    expect(row.title).toBe(record.Title);
    expect(typeof row.source === 'string' ? JSON.parse(row.source) : row.source).toEqual(record);
    expect(await importer.importFile(path)).toMatchObject({ unchanged: 1 });
  });

  it('imports a record whose text holds a NUL character without it, on both databases (PostgreSQL text cannot hold one)', async () => {
    const record = { ...cpscSamples[0], RecallNumber: '99951', RecallID: 99951, Description: 'before\u0000after' };
    expect(await importer.importFile(writeFeed('nul.json', [record]))).toMatchObject({ inserted: 1, rejected: [] });
    const [row] = await dataSource.query("SELECT description FROM recalls WHERE recall_id = 'CPSC-99951'");
    expect(row.description).toBe('beforeafter');
    const newer = { ...record, LastPublishDate: '2030-01-01T00:00:00', Description: 'still\u0000here' };
    expect(await importer.importFile(writeFeed('nul-update.json', [newer]))).toMatchObject({ updated: 1, rejected: [] });
    const [updated] = await dataSource.query("SELECT description FROM recalls WHERE recall_id = 'CPSC-99951'");
    expect(updated.description).toBe('stillhere');
    expect(await importer.importFile(writeFeed('nul-update.json', [newer]))).toMatchObject({ unchanged: 1 });
  });

  it('corrects a typo towards a word that only a just-imported recall has', async () => {
    const record = { ...cpscSamples[0], RecallNumber: '99952', RecallID: 99952, Title: 'Quillowby Recalls Zephyrquilt Baby Blankets' };
    expect(await importer.importFile(writeFeed('new-word.json', [record]))).toMatchObject({ inserted: 1 });
    const response = await app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload: { product: 'zephyrquilf blanket' } });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.items[0].id).toBe('CPSC-99952');
  });

  it('removes the identifiers and search words of a deleted recall', async () => {
    await importer.importFile(join(SAMPLES_DIR, 'cpsc-recalls.json'));
    const [{ id }] = await dataSource.query("SELECT id FROM recalls WHERE recall_id = 'CPSC-19108'");
    expect(Number((await dataSource.query(`SELECT COUNT(*) AS n FROM recall_identifiers WHERE recall_pk = ${Number(id)}`))[0].n)).toBeGreaterThan(0);
    await dataSource.query(`DELETE FROM recalls WHERE id = ${Number(id)}`);
    expect(Number((await dataSource.query(`SELECT COUNT(*) AS n FROM recall_identifiers WHERE recall_pk = ${Number(id)}`))[0].n)).toBe(0);
    if (isPostgresRun()) expect(Number((await dataSource.query(`SELECT COUNT(*) AS n FROM recall_words WHERE recall_pk = ${Number(id)}`))[0].n)).toBe(0);
    expect(await importer.importFile(join(SAMPLES_DIR, 'cpsc-recalls.json'))).toMatchObject({ inserted: 1 });
  });

  // SQLite has no TRUNCATE (its foreign keys cascade deletes, tested above).
  (isPostgresRun() ? it : it.skip)('empties identifiers and search words with the recalls table (PostgreSQL TRUNCATE, rolled back here)', async () => {
    await importer.importFile(join(SAMPLES_DIR, 'cpsc-recalls.json'));
    expect(await count('recall_identifiers')).toBeGreaterThan(0);
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('TRUNCATE recalls');
      for (const table of ['recall_identifiers', 'recall_words']) {
        expect(Number((await runner.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n)).toBe(0);
      }
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await count('recall_identifiers')).toBeGreaterThan(0);
  });

  it('streams a CPSC corpus of 10,000 recalls (about 30 MB) through the pipeline', async () => {
    const template = cpscSamples.find((record) => record.RecallNumber === '19105')!;
    const padding = ' Consumers should stop using the product immediately.'.repeat(30);
    const records = Array.from({ length: 10_000 }, (_, index) => ({
      ...template,
      RecallID: 500_000 + index,
      RecallNumber: `7${String(index).padStart(5, '0')}`,
      Title: `${template.Title} batch ${index}`,
      Description: `${template.Description}${padding}`,
    }));
    const path = writeFeed('corpus.json', records);
    const size = readFileSync(path).length;
    expect(size).toBeGreaterThan(25 * 1024 * 1024);

    // Memory is measured by the import benchmark (peak RSS); here: the whole corpus streams through intact.
    const summary = await importer.importFile(path);
    expect(summary).toMatchObject({ read: 10_000, inserted: 10_000, updated: 0, unchanged: 0, rejected: [] });
    expect(await importer.importFile(path)).toMatchObject({ inserted: 0, unchanged: 10_000 });
  }, 120_000);
});
