import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { ImportSummary, RecallImporter } from '../../src/recalls/import/recall-importer';

export const SAMPLES_DIR = join(__dirname, '..', '..', 'data', 'samples');
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'feeds');

export const SAMPLE_FILES = readdirSync(SAMPLES_DIR).filter((name) => /\.(json|xml)$/.test(name)).sort();

/** Imports every sample feed file through the real import pipeline. */
export async function importSamples(app: INestApplication): Promise<Record<string, ImportSummary>> {
  const importer = app.get(RecallImporter);
  const summaries: Record<string, ImportSummary> = {};
  for (const file of SAMPLE_FILES) summaries[file] = await importer.importFile(join(SAMPLES_DIR, file));
  return summaries;
}
