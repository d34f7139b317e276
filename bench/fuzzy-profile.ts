import 'reflect-metadata';
import { POSTGRES_DIALECT } from '../src/database/sql/sql-dialect';
import { RecallCriteria, RecallSearch } from '../src/recalls/search/recall-search';
import { HELD_OUT_QUERIES, OLD_QUALITY_QUERIES, QualityQuery, SCALE_QUERIES } from '../test/search-quality/search-quality';
import { poolLikeTheService } from './baselines/bare-fastify-pg';
import { fuzzyQueries } from './queries';

/**
 * Where the time of each benchmark fuzzy query goes: the 30 queries of `npm run bench` run one at a time through
 * RecallSearch on a pg pool configured like the service's (no HTTP), once unmeasured (connections, plans, JIT),
 * then `--rounds` times; prints each query's median
 * and the percentiles over all runs, and with `--statements` every SQL statement of the last round with its time
 * and row count. `--criteria '<json>'` (repeatable) profiles those searches instead, e.g. text with filters:
 * '{"text":"stroller","country":"CA"}' (RecallCriteria: text, agencies, severity, riskCategory, country,
 * dateFrom, dateTo). `--set quality` profiles the quality harness's queries instead (queries.json and the
 * queries-scale.json queries that are not held out), `--set held-out` the held-out ones (final figures only:
 * their texts are not printed). A diagnostic, not a benchmark: it measures no baseline.
 *
 *   DATABASE_URL=postgresql://.../babyshield_bench npm run bench:fuzzy-profile -- --rounds 5 --statements [--set quality]
 */
interface Statement {
  ms: number;
  rows: number;
  sql: string;
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
}

/** A quality query's API request as RecallSearch criteria (the sets send product text only). */
function criteriaOf(query: QualityQuery): RecallCriteria {
  const { product, query: text, ...rest } = query.request as { product?: string; query?: string };
  if (Object.keys(rest).length > 0) throw new Error(`"${query.query}": only product/query text can be profiled, not ${Object.keys(rest).join(', ')}`);
  return { text: String(product ?? text).trim() };
}

type ProfiledSet = 'fuzzy' | 'quality' | 'held-out';

function profiledSet(): ProfiledSet {
  const index = process.argv.indexOf('--set');
  const value = index === -1 ? 'fuzzy' : process.argv[index + 1];
  if (value !== 'fuzzy' && value !== 'quality' && value !== 'held-out') throw new Error('--set must be quality, held-out or fuzzy (the default)');
  return value;
}

/** The searches to profile: each `--criteria` given, or the chosen set's queries. */
function searches(set: ProfiledSet): Map<string, RecallCriteria> {
  const given = process.argv.flatMap((arg, index) => (process.argv[index - 1] === '--criteria' ? [arg] : []));
  const criteria: RecallCriteria[] =
    given.length > 0
      ? given.map((json) => JSON.parse(json) as RecallCriteria)
      : set === 'quality'
        ? [...OLD_QUALITY_QUERIES, ...SCALE_QUERIES].map(criteriaOf)
        : set === 'held-out'
          ? HELD_OUT_QUERIES.map(criteriaOf)
          : fuzzyQueries().map((text) => ({ text }));
  return new Map(criteria.map((each) => [JSON.stringify(each), each]));
}

async function main(): Promise<void> {
  const rounds = argument('rounds', 5);
  const set = profiledSet();
  const profiled = searches(set);
  // Held-out queries must not be tuned on: their figures are shown together, never query by query.
  const perQuery = set !== 'held-out';
  const showStatements = perQuery && process.argv.includes('--statements');
  const pool = poolLikeTheService(process.env.DATABASE_URL);
  let statements: Statement[] = [];
  const search = new RecallSearch(
    {
      query: async <T>(sql: string, parameters: unknown[]) => {
        const started = performance.now();
        const { rows } = await pool.query(sql, parameters);
        statements.push({ ms: performance.now() - started, rows: rows.length, sql: sql.replace(/\s+/g, ' ').trim() });
        return rows as T[];
      },
    },
    POSTGRES_DIALECT,
    'profile-only-cursor-secret-0123456789',
  );
  const times = new Map<string, number[]>();
  const all: number[] = [];
  try {
    for (const criteria of profiled.values()) await search.search(criteria, { limit: 20 }); // warm-up
    for (let round = 1; round <= rounds; round += 1) {
      for (const [query, criteria] of profiled) {
        statements = [];
        const started = performance.now();
        const page = await search.search(criteria, { limit: 20 });
        const ms = performance.now() - started;
        times.set(query, [...(times.get(query) ?? []), ms]);
        all.push(ms);
        if (showStatements && round === rounds) {
          const inSql = statements.reduce((sum, statement) => sum + statement.ms, 0);
          console.log(`${query}: ${ms.toFixed(1)} ms, ${page.total} results; SQL ${inSql.toFixed(1)} ms, the rest in code`);
          for (const statement of statements) console.log(`  ${statement.ms.toFixed(2).padStart(7)} ms ${String(statement.rows).padStart(4)} rows  ${statement.sql.slice(0, 110)}`);
        }
      }
    }
  } finally {
    await pool.end();
  }
  if (perQuery) {
    console.log(`\nmedian of ${rounds} runs per query (ms):`);
    for (const [query, runs] of times) console.log(`${percentile([...runs].sort((a, b) => a - b), 0.5).toFixed(1).padStart(7)}  ${query}`);
  }
  all.sort((a, b) => a - b);
  console.log(`${set === 'fuzzy' ? 'fuzzy queries' : `${set} set (${profiled.size} distinct searches)`}, all ${all.length} runs: p50 ${percentile(all, 0.5).toFixed(1)} ms, p95 ${percentile(all, 0.95).toFixed(1)} ms, max ${all[all.length - 1].toFixed(1)} ms`);
}

main().catch((error: unknown) => {
  console.error(`fuzzy-profile failed: ${(error as Error).message ?? error}`);
  process.exit(1);
});
