import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** One quality query: the request a user sends and the recall that must come back in the top 5. */
export interface QualityQuery {
  query: string;
  expect: string;
  kind: string;
  request: Record<string, unknown>;
  /** Other recalls that answer the query as well as `expect` (the same product recalled by another agency). */
  alsoRelevant?: string[];
  /** For final figures only: never run unless `--held-out` is given, never printed query by query. */
  heldOut?: boolean;
}

export interface QueryOutcome {
  query: QualityQuery;
  top: string[];
  /** 1-based rank of the first relevant recall in the top 5, null when none is there. */
  rank: number | null;
  /** Client-measured time of the request. */
  ms: number;
}

function querySet(file: string): QualityQuery[] {
  return JSON.parse(readFileSync(join(__dirname, file), 'utf8')) as QualityQuery[];
}

const SCALE_SET: QualityQuery[] = querySet('queries-scale.json');
/** The first 81 queries (typo, model, brand ...), on the sample feeds. */
export const OLD_QUALITY_QUERIES: QualityQuery[] = querySet('queries.json');
/** Queries over real recalls of the samples and the corpus, without the held-out ones. */
export const SCALE_QUERIES: QualityQuery[] = SCALE_SET.filter((query) => !query.heldOut);
export const HELD_OUT_QUERIES: QualityQuery[] = SCALE_SET.filter((query) => query.heldOut);
/** The set `npm test` holds to recall@5 = 1.0. */
export const QUALITY_QUERIES = OLD_QUALITY_QUERIES;

/** The sets a run measures, in order; the held-out set only when asked for. */
export function querySets(heldOut: boolean): Array<{ name: string; queries: QualityQuery[]; heldOut: boolean }> {
  return [
    { name: 'queries.json', queries: OLD_QUALITY_QUERIES, heldOut: false },
    { name: 'queries-scale.json', queries: SCALE_QUERIES, heldOut: false },
    ...(heldOut ? [{ name: 'queries-scale.json held out', queries: HELD_OUT_QUERIES, heldOut: true }] : []),
  ];
}

/** Sends one search (`{...request, limit: 5}`) and returns the ids of the results, best first. */
export type SearchTransport = (payload: Record<string, unknown>) => Promise<string[]>;

/** Where the first relevant recall ranks in `top` (1-based), null when it is not in the top 5. */
export function rankOf(query: QualityQuery, top: readonly string[]): number | null {
  const relevant = new Set([query.expect, ...(query.alsoRelevant ?? [])]);
  const index = top.slice(0, 5).findIndex((id) => relevant.has(id));
  return index === -1 ? null : index + 1;
}

/** Runs the queries one at a time (one client), timing each request as the client sees it. */
export async function runQueries(queries: readonly QualityQuery[], search: SearchTransport): Promise<QueryOutcome[]> {
  const outcomes: QueryOutcome[] = [];
  for (const query of queries) {
    const started = performance.now();
    const top = await search({ ...query.request, limit: 5 });
    const ms = performance.now() - started;
    outcomes.push({ query, top, rank: rankOf(query, top), ms });
  }
  return outcomes;
}

/** Searches through the application in this process (no socket), as the e2e suite does. */
export function injectTransport(app: NestFastifyApplication): SearchTransport {
  return async (payload) => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload });
    if (response.statusCode !== 200) throw new Error(`${JSON.stringify(payload)} answered ${response.statusCode}: ${response.body}`);
    return (response.json().data.items as Array<{ id: string }>).map((item) => item.id);
  };
}

/** Searches a running service over HTTP. */
export function httpTransport(baseUrl: string): SearchTransport {
  return async (payload) => {
    const response = await fetch(`${baseUrl}/api/v1/search/advanced`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${JSON.stringify(payload)} answered ${response.status}: ${text.slice(0, 300)}`);
    return (JSON.parse(text).data.items as Array<{ id: string }>).map((item) => item.id);
  };
}

/** The 81 queries of queries.json through the application in this process. */
export function runQualityQueries(app: NestFastifyApplication): Promise<QueryOutcome[]> {
  return runQueries(OLD_QUALITY_QUERIES, injectTransport(app));
}

export function recallAt(outcomes: readonly QueryOutcome[], k: number): number {
  return outcomes.filter((outcome) => outcome.rank !== null && outcome.rank <= k).length / outcomes.length;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

export interface Figures {
  n: number;
  recallAt1: number;
  recallAt5: number;
  latencyMs: { p50: number; p95: number; max: number };
}

function figures(outcomes: readonly QueryOutcome[]): Figures {
  const times = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
  return {
    n: outcomes.length,
    recallAt1: recallAt(outcomes, 1),
    recallAt5: recallAt(outcomes, 5),
    latencyMs: { p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times[times.length - 1] ?? NaN },
  };
}

/** A query the run missed or ranked below first; held-out sets never list them. */
export interface Miss {
  kind: string;
  query: string;
  expect: string;
  rank: number | null;
  top3: string[];
}

export interface SetResult extends Figures {
  set: string;
  heldOut: boolean;
  byKind: Record<string, Figures>;
  /** Not in the top 5. */
  misses: number;
  /** In the top 5, not first. */
  notFirst: number;
  /** Each miss and lower rank; absent for held-out sets. */
  details?: Miss[];
}

export function setResult(set: string, heldOut: boolean, outcomes: readonly QueryOutcome[]): SetResult {
  const kinds = [...new Set(outcomes.map((outcome) => outcome.query.kind))];
  const result: SetResult = {
    set,
    heldOut,
    ...figures(outcomes),
    byKind: Object.fromEntries(kinds.map((kind) => [kind, figures(outcomes.filter((outcome) => outcome.query.kind === kind))])),
    misses: outcomes.filter((outcome) => outcome.rank === null).length,
    notFirst: outcomes.filter((outcome) => outcome.rank !== null && outcome.rank > 1).length,
  };
  if (!heldOut) {
    result.details = outcomes
      .filter((outcome) => outcome.rank !== 1)
      .map(({ query, rank, top }) => ({ kind: query.kind, query: query.query, expect: query.expect, rank, top3: top.slice(0, 3) }));
  }
  return result;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : '–').padStart(6);

function figuresLine(label: string, each: Figures): string {
  return (
    `  ${label.padEnd(20)} n=${String(each.n).padStart(3)}  recall@1 ${each.recallAt1.toFixed(3)}  recall@5 ${each.recallAt5.toFixed(3)}  ` +
    `p50 ${ms(each.latencyMs.p50)} ms  p95 ${ms(each.latencyMs.p95)} ms  max ${ms(each.latencyMs.max)} ms`
  );
}

/** The set's figures, per kind, and its misses (held-out sets: counts only). */
export function printSetResult(label: string, result: SetResult, log: (line: string) => void = console.log): void {
  log(`${label}: ${result.set}${result.heldOut ? ' (HELD OUT: counts only)' : ''}`);
  for (const [kind, each] of Object.entries(result.byKind)) log(figuresLine(kind, each));
  log(figuresLine('all', result));
  log(`  not in top 5: ${result.misses}, in top 5 but not first: ${result.notFirst}`);
  for (const miss of result.details ?? []) {
    log(`    ${miss.rank === null ? 'MISS  ' : `rank ${miss.rank}`} [${miss.kind}] "${miss.query}" expected ${miss.expect}, got ${miss.top3.join(', ') || 'nothing'}`);
  }
}
