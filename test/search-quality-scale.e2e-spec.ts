import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RecallImporter } from '../src/recalls/import/recall-importer';
import { importRealRecalls } from './search-quality/real-recalls';
import { injectTransport, recallAt, runQueries, SCALE_QUERIES } from './search-quality/search-quality';
import { startTestApp } from './support/test-app';

/**
 * The scale query set (queries-scale.json without its held-out queries: those are for final figures only) over the
 * real recalls, on each database: older exact names, words written apart or together, a brand with a generic
 * word, regional and French words, misspellings, model numbers and barcodes. The million-row figures come from
 * `npm run search:quality -- --scale`.
 */
describe('search quality of the scale set over the real recalls', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp();
    expect((await importRealRecalls(app.get(RecallImporter))).rejected).toBe(0);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has 150 queries or more, of every kind', () => {
    expect(SCALE_QUERIES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(SCALE_QUERIES.map((query) => query.kind))).toEqual(
      new Set(['older-exact', 'compound', 'brand-generic', 'regional', 'misspelling', 'model-or-barcode', 'french']),
    );
  });

  it('finds the expected recall in the top 5 for 97 % of the queries, and for 90 % of each kind', async () => {
    const outcomes = await runQueries(SCALE_QUERIES, injectTransport(app));
    const misses = outcomes.filter((outcome) => outcome.rank === null).map((outcome) => `[${outcome.query.kind}] ${outcome.query.query}`);
    const recallAt5 = recallAt(outcomes, 5);
    if (recallAt5 < 0.97) throw new Error(`recall@5 ${recallAt5.toFixed(3)} < 0.97; not in the top 5:\n${misses.join('\n')}`);
    for (const kind of new Set(SCALE_QUERIES.map((query) => query.kind))) {
      const ofKind = outcomes.filter((outcome) => outcome.query.kind === kind);
      if (recallAt(ofKind, 5) < 0.9) throw new Error(`${kind}: recall@5 ${recallAt(ofKind, 5).toFixed(3)} < 0.9; not in the top 5:\n${misses.join('\n')}`);
    }
  }, 60_000);
});
