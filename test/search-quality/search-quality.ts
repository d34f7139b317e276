import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface QualityQuery {
  query: string;
  expect: string;
  kind: string;
  request: Record<string, unknown>;
  alsoRelevant?: string[];
}

export interface QueryOutcome {
  query: QualityQuery;
  top: string[];
  rank: number | null; // 1-based rank of the expected recall, null when not in the top 5
}

export const QUALITY_QUERIES: QualityQuery[] = JSON.parse(readFileSync(join(__dirname, 'queries.json'), 'utf8'));

/** Runs every quality query through the real HTTP API and records where the expected recall ranks. */
export async function runQualityQueries(app: NestFastifyApplication): Promise<QueryOutcome[]> {
  const outcomes: QueryOutcome[] = [];
  for (const query of QUALITY_QUERIES) {
    const response = await app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload: { ...query.request, limit: 5 } });
    if (response.statusCode !== 200) throw new Error(`"${query.query}" answered ${response.statusCode}: ${response.body}`);
    const top = (response.json().data.items as Array<{ id: string }>).map((item) => item.id);
    const index = top.indexOf(query.expect);
    outcomes.push({ query, top, rank: index === -1 ? null : index + 1 });
  }
  return outcomes;
}

export function recallAt(outcomes: QueryOutcome[], k: number): number {
  return outcomes.filter((outcome) => outcome.rank !== null && outcome.rank <= k).length / outcomes.length;
}
