import { parseArgs } from 'node:util';
import { LATER_LEGACY_COLUMNS, LegacyFixtureRow, writeLegacyTable } from '../test/fixtures/legacy/legacy-table';
import { cpscRecord, mixSeed, nhtsaRecord, openFdaRecord, Random } from './synthetic-recalls';

/**
 * Writes the original service's `recalls_enhanced` table with N synthetic rows into a new SQLite file or an
 * empty PostgreSQL database, for `db:transfer` runs: the texts of bench/synthetic-recalls.ts (CPSC, openFDA and
 * NHTSA records, relabelled in part as Health Canada and EU RAPEX), with the quirks real deployments have, at fixed
 * rates: agency labels written several ways, empty strings for NULL, JSON as text (SQLite), barcode lists and UPCs
 * without their leading zero, 1 % of recall ids repeated under a second label, 1 % NULL and 0.5 % impossible recall
 * dates (rejected), 0.5 % of an agency we do not serve (rejected). Deterministic per --seed and --rows.
 *
 *   node -r ts-node/register bench/legacy-recalls.ts --rows 50000 --to sqlite:////tmp/legacy.db [--seed 1] [--older]
 *   (--older: a table without the later columns severity, risk_category, last_updated, status)
 */

const LABELS: Record<string, string[]> = {
  CPSC: ['CPSC', 'US CPSC'],
  FDA: ['FDA', 'US FDA'],
  NHTSA: ['NHTSA'],
  HC: ['Health Canada', 'Health_Canada'],
  RAPEX: ['EU RAPEX', 'EU_RAPEX', 'EU Safety Gate'],
};

/** Row `index` of the synthetic legacy table. */
export function legacyRow(seed: number, index: number): LegacyFixtureRow {
  const random = new Random(mixSeed(seed, 7, index));
  const kind = random.float();
  const row = kind < 0.15 ? fromOpenFda(seed, index) : kind < 0.25 ? fromNhtsa(seed, index) : fromCpsc(seed, index, random);
  const quirk = random.float();
  if (quirk < 0.01) row.recall_date = null;
  else if (quirk < 0.015) row.recall_date = '1850-01-01';
  else if (quirk < 0.02) Object.assign(row, { recall_id: `UKOPSS-${index}`, source_agency: 'UK OPSS' });
  else if (quirk < 0.1) Object.assign(row, { brand: '', hazard: '', country: '', model_number: '' });
  if (random.chance(0.5)) row.severity = random.pick(['low', 'medium', 'high', 'critical', 'HIGH', '']);
  if (random.chance(0.3)) row.last_updated = `${String(row.recall_date ?? '2020-01-01')}T12:00:00Z`;
  row.status = random.pick(['open', 'closed', '', null]);
  return row;
}

function fromCpsc(seed: number, index: number, random: Random): LegacyFixtureRow {
  const record = cpscRecord(seed, index) as Record<string, any>;
  // A quarter relabelled: Health Canada and EU RAPEX rows of the same shape.
  const agency = random.chance(0.75) ? 'CPSC' : random.chance(0.5) ? 'HC' : 'RAPEX';
  const upcs = (record.ProductUPCs as Array<{ UPC: string }>).map(({ UPC }) => (random.chance(0.2) ? UPC.replace(/^0/, '') : UPC));
  return {
    recall_id: `${agency}-${record.RecallNumber}${agency === 'RAPEX' ? `/${index % 100}` : ''}`,
    product_name: record.Products[0].Name,
    brand: record.Title.split(' Recalls ')[0],
    manufacturer: record.Manufacturers[0]?.Name ?? null,
    model_number: (record.Products as Array<{ Model: string }>).map(({ Model }) => Model).join(random.pick(['; ', ' / ', ', '])),
    upc: upcs.join(', ') || null,
    recall_date: String(record.RecallDate).slice(0, 10),
    source_agency: random.pick(LABELS[agency]),
    hazard: record.Hazards[0].Name,
    description: record.Description,
    remedy: record.Remedies[0].Name,
    url: record.URL,
    country: agency === 'CPSC' ? random.pick(['USA', 'US', 'United States']) : agency === 'HC' ? 'Canada' : 'Germany',
    regions_affected: agency === 'RAPEX' ? ['EU'] : agency === 'HC' ? ['CA'] : ['US'],
    search_keywords: String(record.Title).toLowerCase(),
    agency_specific_data: { RecallID: record.RecallID },
  };
}

function fromOpenFda(seed: number, index: number): LegacyFixtureRow {
  const record = openFdaRecord(seed, index) as Record<string, any>;
  const day = String(record.recall_initiation_date);
  return {
    recall_id: `FDA-${record.recall_number}`,
    product_name: String(record.product_description).split('. ')[0],
    manufacturer: record.recalling_firm,
    lot_number: String(record.code_info).replace(/^Lot #: /, '').split(';')[0],
    recall_date: `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`,
    source_agency: index % 2 === 0 ? 'FDA' : 'US FDA',
    recall_reason: record.reason_for_recall,
    recall_class: record.classification,
    description: record.product_description,
    country: 'United States',
    registry_codes: { fda_event: record.event_id },
  };
}

function fromNhtsa(seed: number, index: number): LegacyFixtureRow {
  const record = nhtsaRecord(seed, index) as Record<string, any>;
  const [day, month, year] = String(record.ReportReceivedDate || '01/01/2020').split('/');
  return {
    recall_id: `NHTSA-${record.NHTSACampaignNumber}`,
    product_name: `${record.Make} ${record.Model}`,
    manufacturer: record.Manufacturer,
    vehicle_make: record.Make,
    vehicle_model: record.Model,
    recall_date: `${year}-${month}-${day}`,
    source_agency: 'NHTSA',
    hazard: record.Consequence,
    remedy: record.Remedy,
    description: record.Summary,
    country: 'USA',
  };
}

/** Rows 0..n-1, with 1 % of them followed by a second row of the same recall id under another label. */
export function* legacyRows(seed: number, count: number): Generator<LegacyFixtureRow> {
  for (let index = 0; index < count; index += 1) {
    const row = legacyRow(seed, index);
    yield row;
    if (index % 100 === 50 && index + 1 < count) {
      index += 1;
      yield { ...row, source_agency: String(row.source_agency ?? '').replace(' ', '_') || 'CPSC', product_name: `${String(row.product_name)} (relabelled)` };
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, to: { type: 'string' }, seed: { type: 'string' }, older: { type: 'boolean' } } });
  if (!values.to) throw new Error('give --to sqlite:///<new file> or postgresql://.../<empty database>');
  const rows = Number(values.rows ?? 50_000);
  const seed = Number(values.seed ?? 1);
  const written = await writeLegacyTable(values.to, legacyRows(seed, rows), { withoutColumns: values.older ? LATER_LEGACY_COLUMNS : [] });
  console.log(`wrote ${written} rows of recalls_enhanced`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`legacy-recalls failed: ${(error as Error).message ?? error}`);
    process.exit(1);
  });
}
