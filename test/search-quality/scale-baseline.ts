// Baseline of the scale query set (queries-scale.json) on SQLite: recall@1 and recall@5 per kind.
// Runs ONLY the queries without "heldOut": held-out queries are for final figures and are never run here.
// Run: node -r ts-node/register test/search-quality/scale-baseline.ts
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecallImporter } from '../../src/recalls/import/recall-importer';
import { importSamples } from '../support/samples';
import { startTestApp } from '../support/test-app';
import { QualityQuery } from './search-quality';

interface ScaleQuery extends QualityQuery {
  heldOut?: boolean;
}

const CORPUS_FILES = ['cpsc-recalls-extra.json'];

async function main(): Promise<void> {
  process.env.NODE_ENV = 'test';
  process.env.TEST_MODE = 'true';
  delete process.env.DATABASE_URL;
  delete process.env.TEST_DATABASE_URL;
  const all: ScaleQuery[] = JSON.parse(readFileSync(join(__dirname, 'queries-scale.json'), 'utf8'));
  const queries = all.filter((query) => !query.heldOut);
  const app = await startTestApp();
  try {
    await importSamples(app);
    const importer = app.get(RecallImporter);
    for (const file of CORPUS_FILES) await importer.importFile(join(__dirname, 'corpus', file));
    const byKind = new Map<string, { n: number; at1: number; at5: number }>();
    const misses: string[] = [];
    for (const query of queries) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload: { ...query.request, limit: 5 } });
      if (response.statusCode !== 200) throw new Error(`"${query.query}" answered ${response.statusCode}: ${response.body}`);
      const top = (response.json().data.items as Array<{ id: string }>).map((item) => item.id);
      const relevant = [query.expect, ...(query.alsoRelevant ?? [])];
      const rank = top.findIndex((id) => relevant.includes(id));
      const row = byKind.get(query.kind) ?? { n: 0, at1: 0, at5: 0 };
      row.n += 1;
      if (rank === 0) row.at1 += 1;
      if (rank !== -1) row.at5 += 1;
      else misses.push(`  MISS [${query.kind}] "${query.query}" expected ${query.expect}, got ${top.slice(0, 3).join(', ') || 'nothing'}`);
      byKind.set(query.kind, row);
    }
    let n = 0;
    let at1 = 0;
    let at5 = 0;
    for (const [kind, row] of byKind) {
      n += row.n;
      at1 += row.at1;
      at5 += row.at5;
      console.log(`${kind.padEnd(17)} n=${String(row.n).padStart(3)}  recall@1 ${(row.at1 / row.n).toFixed(3)}  recall@5 ${(row.at5 / row.n).toFixed(3)}`);
    }
    console.log(`${'all (not held out)'.padEnd(17)} n=${String(n).padStart(3)}  recall@1 ${(at1 / n).toFixed(3)}  recall@5 ${(at5 / n).toFixed(3)}`);
    console.log(`(${all.length - queries.length} held-out queries not run)`);
    for (const line of misses) console.log(line);
  } finally {
    await app.close();
  }
}

void main();
