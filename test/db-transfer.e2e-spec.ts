import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LATER_LEGACY_COLUMNS, writeLegacyTable } from './fixtures/legacy/legacy-table';
import { QUIRKY_EXPECTED, QUIRKY_LEGACY_ROWS } from './fixtures/legacy/quirky-recalls';
import { ourDatabaseWithSamples, runTransfer, transferCounts, withOurDatabase } from './support/transfer';

const workDir = mkdtempSync(join(tmpdir(), 'babyshield-transfer-'));
let files = 0;
const newSqliteUrl = (name: string) => `sqlite:///${join(workDir, `${name}-${(files += 1)}.db`)}`;
const pathOf = (url: string) => url.slice('sqlite:///'.length);

function rows(url: string, sql: string): Array<Record<string, any>> {
  const db = new Database(pathOf(url), { readonly: true });
  try {
    return db.prepare(sql).all() as Array<Record<string, any>>;
  } finally {
    db.close();
  }
}

describe('npm run db:transfer (SQLite)', () => {
  jest.setTimeout(120_000);

  describe('from the original service\'s SQLite database (an older table: no severity, risk_category, last_updated, status)', () => {
    const legacy = newSqliteUrl('legacy');
    const ours = newSqliteUrl('ours');
    let first: { code: number; output: string };

    beforeAll(async () => {
      await writeLegacyTable(legacy, QUIRKY_LEGACY_ROWS, { withoutColumns: LATER_LEGACY_COLUMNS });
      first = await runTransfer(legacy, ours);
    });

    it('migrates the empty target, loads what maps, lists each rejected row with its recall id and reason, and exits 0', () => {
      expect(first.output).toMatch(/is empty: applying this version's \d+ migrations first/);
      expect(first.code).toBe(0);
      expect(transferCounts(first.output)).toEqual({ read: QUIRKY_EXPECTED.read, inserted: QUIRKY_EXPECTED.recalls, updated: 0, unchanged: 0, rejected: 4 });
      expect(first.output).toMatch(/1 row\(s\) sharing a recall id with another/);
      for (const [recallId, reason] of Object.entries(QUIRKY_EXPECTED.rejected)) {
        expect(first.output).toMatch(new RegExp(`rejected ${recallId.replace(/[/-]/g, '\\$&')}: ${reason.source}`));
      }
      expect(first.output).toMatch(/recalls: +source 11 \(4 rejected left out\), target 11 +ok/);
      expect(first.output).toMatch(/Verified: the target holds exactly the recalls of the source/);
    });

    it('keeps legacy recall ids as they are, a RAPEX- id with the EU Safety Gate agency, and one recall for an id under two labels', () => {
      const stored = rows(ours, 'SELECT recall_id, agency_code, product_name, severity FROM recalls ORDER BY recall_id');
      expect(stored.map((row) => row.recall_id)).toEqual([
        'CPSC-19105', 'CPSC-20001', 'CPSC-20002', 'EU-SR/00017/24', 'EU-SR/00018/24', 'FDA-D-1234-2021', 'FDA-F-0928-2022', 'HC-75011', 'HC-80001',
        'NHTSA-23C001000', 'RAPEX-A12/0001/23',
      ]);
      const byId = Object.fromEntries(stored.map((row) => [row.recall_id, row]));
      expect(byId['RAPEX-A12/0001/23'].agency_code).toBe('EU_SAFETY_GATE');
      expect(byId['HC-80001'].agency_code).toBe('HEALTH_CANADA');
      expect(byId['FDA-D-1234-2021'].agency_code).toBe('FDA');
      expect(byId['HC-75011'].product_name).toBe('IKEA SMÅGÖRA baby crib'); // the row updated last
      expect(byId['FDA-F-0928-2022'].severity).toBe('critical'); // Class I
    });

    it('splits model and barcode lists into identifiers, normalised', () => {
      const identifiers = rows(
        ours,
        "SELECT i.kind, i.normalized FROM recall_identifiers i JOIN recalls r ON r.id = i.recall_pk WHERE r.recall_id = 'CPSC-19105' ORDER BY i.position",
      );
      expect(identifiers).toEqual([
        { kind: 'barcode', normalized: '00079346627035' },
        { kind: 'barcode', normalized: '00765940893043' },
        { kind: 'model_number', normalized: 'FHW26' },
        { kind: 'model_number', normalized: 'CHP56' },
        { kind: 'model_number', normalized: 'BJD59' },
        { kind: 'model_number', normalized: 'DVT20' },
      ]);
      const teethingGel = rows(ours, "SELECT i.normalized FROM recall_identifiers i JOIN recalls r ON r.id = i.recall_pk WHERE r.recall_id = 'FDA-D-1234-2021'");
      expect(teethingGel).toEqual([{ normalized: '00036000291452' }]); // the UPC's lost leading zero restored
    });

    it('changes nothing when run again: all unchanged, verified, exit 0', async () => {
      const again = await runTransfer(legacy, ours);
      expect(again.code).toBe(0);
      expect(transferCounts(again.output)).toEqual({ read: 16, inserted: 0, updated: 0, unchanged: 11, rejected: 4 });
      expect(again.output).toMatch(/Verified/);
    });
  });

  it('maps the original service\'s table into our tables beside it in the same database, and reads that table again on a second run', async () => {
    const shared = newSqliteUrl('shared');
    await writeLegacyTable(shared, QUIRKY_LEGACY_ROWS);
    const first = await runTransfer(shared, shared);
    expect(first.code).toBe(0);
    expect(transferCounts(first.output)).toMatchObject({ read: 16, inserted: 11, rejected: 4 });
    const again = await runTransfer(shared, shared);
    expect(again.code).toBe(0);
    expect(transferCounts(again.output)).toMatchObject({ read: 16, inserted: 0, unchanged: 11, rejected: 4 });
  });

  describe('from our SQLite database', () => {
    it('copies every recall with its identifiers and content hash, and a second run reports all unchanged', async () => {
      const source = newSqliteUrl('source');
      const target = newSqliteUrl('target');
      await ourDatabaseWithSamples(source);
      const first = await runTransfer(source, target, 10);
      expect(first.code).toBe(0);
      const [{ n }] = rows(source, 'SELECT count(*) AS n FROM recalls');
      expect(transferCounts(first.output)).toEqual({ read: n, inserted: n, updated: 0, unchanged: 0, rejected: 0 });
      const copied = 'SELECT recall_id, content_hash, search_text, source FROM recalls ORDER BY recall_id';
      expect(rows(target, copied)).toEqual(rows(source, copied));
      const identifiers = 'SELECT r.recall_id, i.kind, i.value, i.normalized, i.position FROM recall_identifiers i JOIN recalls r ON r.id = i.recall_pk ORDER BY 1, 2, 4';
      expect(rows(target, identifiers)).toEqual(rows(source, identifiers));

      const again = await runTransfer(source, target);
      expect(again.code).toBe(0);
      expect(transferCounts(again.output)).toEqual({ read: n, inserted: 0, updated: 0, unchanged: n, rejected: 0 });
    });

    it('reports recalls the target holds and the source lacks, exits 4, and leaves them in place', async () => {
      const source = newSqliteUrl('source');
      const target = newSqliteUrl('target');
      await ourDatabaseWithSamples(source);
      await ourDatabaseWithSamples(target);
      await withOurDatabase(source, (dataSource) => dataSource.query("DELETE FROM recalls WHERE recall_id IN ('CPSC-19105', 'CPSC-16226')"));
      const run = await runTransfer(source, target);
      expect(run.code).toBe(4);
      expect(run.output).toMatch(/in the target only, not in the source \(left as they are, never deleted\): 2 \(CPSC-16226, CPSC-19105\)/);
      expect(run.output).toMatch(/NOT verified/);
      expect(rows(target, "SELECT count(*) AS n FROM recalls WHERE recall_id IN ('CPSC-19105', 'CPSC-16226')")).toEqual([{ n: 2 }]);
    });

    it('refuses a source on another migration version, and a target behind this version, saying which migrations', async () => {
      const source = newSqliteUrl('source');
      await ourDatabaseWithSamples(source);
      await withOurDatabase(source, (dataSource) => dataSource.query("INSERT INTO migrations (timestamp, name) VALUES (1999999999999, 'FutureThing1999999999999')"));
      const newer = await runTransfer(source, newSqliteUrl('target'));
      expect(newer.code).toBe(1);
      expect(newer.output).toMatch(/the source .* was migrated by a newer version of this service \(migrations this version does not have: FutureThing1999999999999\)/);

      const current = newSqliteUrl('source');
      const behind = newSqliteUrl('target');
      await ourDatabaseWithSamples(current);
      await withOurDatabase(behind, (dataSource) => dataSource.query("DELETE FROM migrations WHERE name = 'WordMatchesFunction1764000000005'"));
      const refused = await runTransfer(current, behind);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/the target .* is behind this version's schema: 1 migration\(s\) pending \(WordMatchesFunction1764000000005\); apply them first/);
    });

    it('exits 2 on a database that holds neither our tables nor recalls_enhanced', async () => {
      const other = newSqliteUrl('other');
      const db = new Database(pathOf(other));
      db.exec('CREATE TABLE notes (id integer)');
      db.close();
      const run = await runTransfer(other, newSqliteUrl('target'));
      expect(run.code).toBe(2);
      expect(run.output).toMatch(/holds neither this service's recalls .* nor the original service's recalls_enhanced/);
    });
  });
});
