import 'reflect-metadata';
import Fastify, { FastifyReply, FastifyRequest } from 'fastify';
import { Pool, PoolConfig } from 'pg';
import { ApiError } from '../../src/common/api-error';
import { DomainError } from '../../src/common/domain-error';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { POSTGRES_DIALECT } from '../../src/database/sql/sql-dialect';
import { AgencyCode } from '../../src/recalls/domain/agencies';
import { SafetyCheckService } from '../../src/recalls/api/safety-check.service';
import { RecallCriteria, RecallSearch } from '../../src/recalls/search/recall-search';
import { benchDatabaseSettings } from '../seed';

/**
 * Baseline for the service's data endpoints: bare Fastify + a bare pg Pool, calling the very RecallSearch and
 * SafetyCheckService the service uses, with the same pool size and session settings. What the service adds on
 * top (Nest, TypeORM's connection, validation pipes, helmet, request logging) is the difference measured.
 *
 * Also serves POST /original/search: the original Python service's fuzzy SQL (similarity() over four columns,
 * no index), for the "x faster" comparison.
 *
 * Env: DATABASE_URL, PORT (0 = any), CURSOR_SECRET. Prints {"listening": port} when ready.
 */

const ORIGINAL_COLUMNS = `id, recall_id, agency_code, title, product_name, brand, manufacturer, description, hazard,
  hazard_category, remedy, recall_reason, recall_date, last_updated, country, affected_countries, severity,
  risk_category, status, url, image_url, units_affected`;
const ORIGINAL_SIMILARITY = `GREATEST(similarity(lower(product_name), $1), similarity(lower(brand), $1),
  similarity(lower(description), $1), similarity(lower(hazard), $1))`;
export const ORIGINAL_FUZZY_SQL = `SELECT ${ORIGINAL_COLUMNS}, ${ORIGINAL_SIMILARITY} AS score FROM recalls
  WHERE ${ORIGINAL_SIMILARITY} >= 0.08 ORDER BY ${ORIGINAL_SIMILARITY} DESC LIMIT $2`;

/** A pg pool configured as the service's TypeORM pool is (same options function, same session settings). */
export function poolLikeTheService(databaseUrl: string | undefined): Pool {
  const options = buildDataSourceOptions(benchDatabaseSettings(databaseUrl));
  if (options.type !== 'postgres') throw new Error('the baseline needs PostgreSQL');
  const config: PoolConfig = {
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    ssl: options.ssl as PoolConfig['ssl'],
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMS,
    application_name: 'babyshield-bench-baseline',
    ...(options.extra as PoolConfig),
  };
  return new Pool(config);
}

interface SearchBody {
  product?: string;
  query?: string;
  limit?: number;
  agencies?: AgencyCode[];
  date_from?: string;
  date_to?: string;
}

async function main(): Promise<void> {
  const pool = poolLikeTheService(process.env.DATABASE_URL);
  const search = new RecallSearch(
    { query: async <T>(sql: string, parameters: unknown[]) => (await pool.query(sql, parameters)).rows as T[] },
    POSTGRES_DIALECT,
    process.env.CURSOR_SECRET ?? 'bench-baseline-cursor-secret-0123456789abcdef',
  );
  const safetyChecks = new SafetyCheckService(search);
  const app = Fastify({ logger: false });

  app.setErrorHandler((error: Error & { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) => {
    const status = error instanceof ApiError ? error.status : error instanceof DomainError ? ApiError.fromDomainError(error).status : (error.statusCode ?? 500);
    void reply.status(status).send({ ok: false, error: { message: error.message }, traceId: request.id });
  });

  app.post('/api/v1/search/advanced', async (request: FastifyRequest<{ Body: SearchBody }>, reply) => {
    const body = request.body ?? {};
    const text = (body.product ?? body.query)?.trim();
    const criteria: RecallCriteria = {
      ...(text ? { text } : {}),
      ...(body.agencies?.length ? { agencies: body.agencies } : {}),
      ...(body.date_from ? { dateFrom: body.date_from } : {}),
      ...(body.date_to ? { dateTo: body.date_to } : {}),
    };
    const page = await search.search(criteria, { limit: body.limit ?? 20 });
    return { ok: true, data: page, traceId: request.id, responseTimeMs: Math.round(reply.elapsedTime * 100) / 100 };
  });

  app.get('/api/v1/recall/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const recall = await search.findByRecallId(request.params.id);
    if (!recall) return reply.status(404).send({ ok: false, error: { message: `No recall with id ${request.params.id}` } });
    return { ok: true, data: recall, traceId: request.id };
  });

  app.post('/api/v1/safety-check', async (request: FastifyRequest<{ Body: Record<string, string> }>) => ({
    ok: true,
    data: await safetyChecks.check(request.body ?? {}),
    traceId: request.id,
  }));

  app.post('/original/search', async (request: FastifyRequest<{ Body: SearchBody }>) => {
    const text = (request.body?.product ?? '').trim().toLowerCase();
    // The original scans every row: it gets all the time it needs (no statement timeout), on its own connection.
    const client = await pool.connect();
    let rows: unknown[];
    try {
      await client.query('SET statement_timeout = 0');
      rows = (await client.query(ORIGINAL_FUZZY_SQL, [text, request.body?.limit ?? 20])).rows;
    } finally {
      await client.query('RESET statement_timeout').catch(() => undefined);
      client.release();
    }
    return { ok: true, data: { items: rows, total: rows.length }, traceId: request.id };
  });

  app.get('/health/live', async () => ({ status: 'ok' }));

  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
  const address = app.server.address();
  console.log(JSON.stringify({ listening: typeof address === 'object' && address ? address.port : undefined }));
  const close = () => void app.close().then(() => pool.end()).then(() => process.exit(0));
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bare-fastify-pg failed: ${(error as Error).message ?? error}`);
    process.exit(1);
  });
}
