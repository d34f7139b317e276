import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RecallImporter } from '../../src/recalls/import/recall-importer';
import { SAMPLE_FILES, SAMPLES_DIR } from '../support/samples';

export const CORPUS_DIR = join(__dirname, 'corpus');

/** The real-recall feed files the quality queries are about: every sample feed, then every corpus file. */
export function realRecallFiles(): string[] {
  const corpus = readdirSync(CORPUS_DIR).filter((name) => /\.(json|xml)$/i.test(name)).sort();
  return [...SAMPLE_FILES.map((name) => join(SAMPLES_DIR, name)), ...corpus.map((name) => join(CORPUS_DIR, name))];
}

/** Imports them (the importer detects each format); a second run finds them unchanged. */
export async function importRealRecalls(importer: RecallImporter): Promise<{ files: number; read: number; inserted: number; updated: number; unchanged: number; rejected: number }> {
  const totals = { files: 0, read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const file of realRecallFiles()) {
    const summary = await importer.importFile(file);
    totals.files += 1;
    totals.read += summary.read;
    totals.inserted += summary.inserted;
    totals.updated += summary.updated;
    totals.unchanged += summary.unchanged;
    totals.rejected += summary.rejected.length;
  }
  return totals;
}
