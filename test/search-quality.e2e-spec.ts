import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { importSamples } from './support/samples';
import { startTestApp } from './support/test-app';
import { QUALITY_QUERIES, recallAt, runQualityQueries } from './search-quality/search-quality';

describe('search quality over the sample recalls', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp();
    await importSamples(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has at least 40 realistic queries of every kind', () => {
    expect(QUALITY_QUERIES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(QUALITY_QUERIES.map((query) => query.kind))).toEqual(
      new Set(['typo', 'apostrophe', 'word-order', 'partial', 'brand', 'model', 'barcode', 'exact']),
    );
  });

  it('finds every expected recall in the top 5 (recall@5 = 1.0)', async () => {
    const outcomes = await runQualityQueries(app);
    const misses = outcomes.filter((outcome) => outcome.rank === null).map((outcome) => `${outcome.query.query} -> ${outcome.top.join(', ')}`);
    expect(misses).toEqual([]);
    expect(recallAt(outcomes, 5)).toBe(1);
  });
});
