import 'reflect-metadata';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, availableParallelism, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { measureImportThroughputInProcess } from './import-throughput';
import { HELD_OUT_QUERIES, OLD_QUALITY_QUERIES, QualityQuery, SCALE_QUERIES } from '../test/search-quality/search-quality';
import { fuzzyQueries } from './queries';
import { BenchResult, LoadMeasurement, markdownReport, ScenarioResult, updateBenchmarksMd, writeResultJson } from './report';
import { measureRequestBounds } from './request-bounds';
import { benchDatabaseSettings, openBenchDataSource, positiveInteger, seedRecalls, tableCounts } from './seed';

/**
 * The benchmark: starts the built service (node dist/src/main.js, production settings) and the bare baselines on
 * loopback, runs each load scenario with autocannon (warm-up, then a measured run), and writes
 * bench/results/<timestamp>.json, a markdown table, and the results section of BENCHMARKS.md.
 *
 *   npm run bench -- [--rows N] [--seed 1] [--duration 10] [--warmup 3] [--connections 10] [--quick]
 *                    [--import | --skip-import] [--import-rows 100000] [--build] [--skip-original]
 *                    [--only <scenario key>[,<key>...]] [--held-out] [--results-dir <dir>] [--log-level info]
 *
 * --rows seeds the database first (idempotent). --quick: 1 s warm-up and 1 s measured, no import run (unless
 * --import), for CI. --only: just those load scenarios (no request-bounds or import run, BENCHMARKS.md left
 * alone). --held-out adds the held-out quality queries' scenario (final figures only). --results-dir: where the
 * result JSON goes (default bench/results; CI's smoke run writes to a temporary directory). Exit code 1 when the
 * service did not start or any request failed; never on timings. --log-level: a second service process at that
 * LOG_LEVEL (the first runs at warn); each scenario is measured on both in halves, warn-level-level-warn, and the
 * ratio of their req/s is reported (the cost of logging every request).
 */

const ROOT = join(__dirname, '..');
const SERVICE_ENTRY = join(ROOT, 'dist', 'src', 'main.js');
/** The Node flags production runs with (package.json start:prod, as in the Dockerfile): measured as deployed. */
const SERVICE_NODE_FLAGS: string[] = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['start:prod'] as string)
  .split(/\s+/)
  .filter((part) => part.startsWith('--'));
const TS_NODE = ['-r', 'ts-node/register'];
/** Longer than the service's statement timeout (15 s): a slow request ends as the service's error, not the client's. */
const REQUEST_TIMEOUT_SEC = 30;

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

// autocannon ships no types; this is the part of its programmatic API used here.
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;

function loadAutocannon(): Autocannon {
  try {
    return require('autocannon') as Autocannon;
  } catch {
    throw new Error('autocannon is not installed: npm install --save-dev autocannon');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Started {
  process: ChildProcess;
  port: number;
  output: string[];
}

/** `logFile`: stdout and stderr go to that file (as a container runtime writes them) instead of a pipe this process reads. */
function spawnWithOutput(command: string, args: string[], env: NodeJS.ProcessEnv, ipc = false, logFile?: string): Started & { exited: Promise<number | null> } {
  if (logFile) {
    const fd = openSync(logFile, 'w');
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { process: child, port: 0, output: [`(output in ${logFile})`], exited };
  }
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, port: 0, output, exited };
}

/** A baseline server (bench/baselines/*.ts); resolves once it prints {"listening": port}. */
async function startBaseline(file: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const port = await freePort();
  // The build compiles bench/ too: run the baseline from the same build as the service, so both run the same
  // RecallSearch; from sources only when the build has no bench/ (then a stale build would skew the comparison).
  const built = join(ROOT, 'dist', 'bench', 'baselines', file.replace(/\.ts$/, '.js'));
  const args = existsSync(built) ? [built] : [...TS_NODE, join(__dirname, 'baselines', file)];
  const started = spawnWithOutput(process.execPath, args, { ...env, PORT: String(port) });
  const deadline = Date.now() + 30_000;
  while (!started.output.some((line) => line.includes('"listening"'))) {
    if (started.process.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${file} did not start: ${started.output.slice(-5).join(' | ')}`);
    }
    await sleep(50);
  }
  return { ...started, port };
}

export type StartedService = Started & { timeToReadyMs: number; secretKey: string; jwtSecretKey: string };

/**
 * The service with production settings; resolves with the time from spawn to /health/ready 200. `preload`:
 * a module required before the service (with an IPC channel to it), e.g. the event-loop probe. `from: 'sources'`
 * runs src/main.ts through ts-node (no build to go stale; without the production heap cap, which ts-node's own
 * memory would eat into), `'built'` runs dist/src/main.js as deployed.
 */
export async function startService(databaseUrl: string, preload?: string[], from: 'built' | 'sources' = 'built', logLevel = 'warn', logFile?: string): Promise<StartedService> {
  const port = await freePort();
  const secretKey = randomBytes(32).toString('hex');
  const jwtSecretKey = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SECRET_KEY: secretKey,
    JWT_SECRET_KEY: jwtSecretKey,
    RATE_LIMIT_MAX: '0',
    LOG_LEVEL: logLevel,
    HOST: '127.0.0.1',
    PORT: String(port),
    SHUTDOWN_GRACE_MS: '0',
  };
  delete env.ENVIRONMENT;
  delete env.TEST_MODE;
  const spawnedAt = performance.now();
  const entry = from === 'built' ? [...SERVICE_NODE_FLAGS, ...(preload ?? []), SERVICE_ENTRY] : [...(preload ?? []), ...TS_NODE, join(ROOT, 'src', 'main.ts')];
  const started = spawnWithOutput(process.execPath, entry, env, preload !== undefined, logFile);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (started.process.exitCode !== null) {
      throw new Error(`the service exited with code ${started.process.exitCode}: ${started.output.slice(-5).join(' | ')}`);
    }
    if (Date.now() > deadline) {
      started.process.kill('SIGKILL');
      throw new Error(`the service was not ready within 60 s: ${started.output.slice(-5).join(' | ')}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      await response.arrayBuffer();
      if (response.status === 200) return { ...started, port, timeToReadyMs: performance.now() - spawnedAt, secretKey, jwtSecretKey };
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
}

export async function stop(started: Started | undefined): Promise<void> {
  if (!started || started.process.exitCode !== null) return;
  const exited = new Promise((resolve) => started.process.once('exit', resolve));
  started.process.kill('SIGTERM');
  const timer = setTimeout(() => started.process.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Peak VmRSS (MB) of a process, sampled every 200 ms until stopped. */
function sampleRss(pid: number | undefined): () => number | null {
  if (!pid || !existsSync(`/proc/${pid}/status`)) return () => null;
  let peakKb = 0;
  const read = () => {
    try {
      const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // the process ended
    }
  };
  read();
  const timer = setInterval(read, 200);
  return () => {
    clearInterval(timer);
    read();
    return Math.round(peakKb / 1024);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Load

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

interface LoadOptions {
  connections: number;
  durationSec?: number;
  amount?: number;
  timeoutSec?: number;
}

/**
 * Waits until no query of the bench database is running. A load run ends with requests in flight whose SQL keeps
 * running; without this, a slow scenario's leftovers would be measured as the next run's load.
 */
async function waitForIdleDatabase(databaseUrl: string, database: string, maxSec = 120): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + maxSec * 1000;
    while (Date.now() < deadline) {
      const { rows } = await client.query(
        "SELECT count(*)::int AS active FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()",
        [database],
      );
      if (rows[0].active === 0) return;
      await sleep(100);
    }
  } finally {
    await client.end();
  }
}

/** One autocannon run cycling through `requests`; latencies come from every response, so p95 is exact. */
async function loadRaw(autocannon: Autocannon, port: number, requests: RequestSpec[], options: LoadOptions, pid?: number) {
  let next = 0;
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const stopRss = sampleRss(pid);
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSec }),
    timeout: options.timeoutSec ?? REQUEST_TIMEOUT_SEC,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          const spec = requests[next++ % requests.length];
          return {
            ...request,
            method: spec.method,
            path: spec.path,
            headers: spec.body === undefined ? {} : { 'content-type': 'application/json' },
            body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          };
        },
      },
    ],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    latencies.push(responseTimeMs);
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return { connections: options.connections, seconds: result.duration, latencies, errors: result.errors, non2xx: result.non2xx, statusCounts, peakRssMb: stopRss() };
}

type RawLoad = Awaited<ReturnType<typeof loadRaw>>;

/** One load run, summarised. */
async function load(autocannon: Autocannon, port: number, requests: RequestSpec[], options: LoadOptions, pid?: number) {
  return summarize([await loadRaw(autocannon, port, requests, options, pid)]);
}

/** Runs of one server as one measurement: requests over the summed time, percentiles over every latency. */
function summarize(runs: RawLoad[]) {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const statusCounts: Record<string, number> = {};
  for (const run of runs) for (const [status, count] of Object.entries(run.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + count;
  const rss = runs.map((run) => run.peakRssMb).filter((value): value is number => value !== null);
  return {
    connections: runs[0].connections,
    seconds,
    requests: latencies.length,
    requestsPerSecond: latencies.length / seconds,
    latencyMs: {
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      p99: percentile(latencies, 0.99),
      max: latencies[latencies.length - 1] ?? NaN,
    },
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    statusCounts,
    peakRssMb: rss.length > 0 ? Math.max(...rss) : null,
  };
}

/** Each distinct request once, before any load: proves the scenario exercises real data (status, result sizes). */
async function preflight(port: number, requests: RequestSpec[]) {
  let non2xx = 0;
  let emptyResults = 0;
  const failures: string[] = [];
  for (const spec of requests) {
    const response = await fetch(`http://127.0.0.1:${port}${spec.path}`, {
      method: spec.method,
      headers: spec.body === undefined ? {} : { 'content-type': 'application/json' },
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_SEC * 1000),
    }).catch((error: Error) => ({ status: 0, statusText: error.message, json: async () => undefined }));
    const body = (await response.json().catch(() => undefined)) as { data?: { items?: unknown[]; matches?: unknown[] } } | undefined;
    if (response.status < 200 || response.status > 299) {
      non2xx += 1;
      if (failures.length < 3) failures.push(`${spec.method} ${spec.path} ${JSON.stringify(spec.body ?? '')} → ${response.status}`);
    }
    const list = body?.data?.items ?? body?.data?.matches;
    if (Array.isArray(list) && list.length === 0) emptyResults += 1;
  }
  return { requests: requests.length, non2xx, emptyResults, failures };
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios

interface Samples {
  recallIds: string[];
  barcodes: string[];
  modelNumbers: string[];
}

/** Request targets taken from the database itself, spread over the table (deterministic: every n-th row). */
async function sampleTargets(dataSource: DataSource, recalls: number, identifiers: number): Promise<Samples> {
  const step = (rows: number) => Math.max(1, Math.floor(rows / 200));
  const ids = await dataSource.query('SELECT recall_id FROM recalls WHERE id % $1 = 0 ORDER BY id LIMIT 200', [step(recalls)]);
  const ofKind = (kind: string, column: string) =>
    dataSource.query(
      `SELECT ${column} AS value FROM recall_identifiers WHERE kind = $1 AND recall_pk % $2 = 0 ORDER BY recall_pk, position LIMIT 200`,
      [kind, Math.max(1, Math.floor(step(recalls) / 2))],
    );
  return {
    recallIds: ids.map((row: { recall_id: string }) => row.recall_id),
    barcodes: (await ofKind('barcode', 'normalized')).map((row: { value: string }) => row.value),
    modelNumbers: (await ofKind('model_number', 'value')).map((row: { value: string }) => row.value),
  };
}

interface ScenarioSpec {
  key: string;
  title: string;
  requests: RequestSpec[];
  baseline?: 'bare-fastify-pg' | 'bare-fastify-live';
  connections?: number;
  /** Compare p50 with the original service's SQL (bare Fastify + pg, POST /original/search). */
  original?: boolean;
  /**
   * Sized by passes over the requests instead of by time: each request is measured exactly this often (after one
   * unmeasured pass), so every query of a set weighs the same however slow the others are.
   */
  passes?: number;
}

/** The quality harness's requests (test/search-quality): `{...request, limit: 5}`, as it sends them. */
function qualityRequests(queries: readonly QualityQuery[]): RequestSpec[] {
  return queries.map((query): RequestSpec => ({ method: 'POST', path: '/api/v1/search/advanced', body: { ...query.request, limit: 5 } }));
}

function scenarios(samples: Samples, options: { heldOut: boolean }): ScenarioSpec[] {
  const fuzzy = fuzzyQueries().map((product): RequestSpec => ({ method: 'POST', path: '/api/v1/search/advanced', body: { product, limit: 20 } }));
  const quality = qualityRequests([...OLD_QUALITY_QUERIES, ...SCALE_QUERIES]);
  const byId = samples.recallIds.map((id): RequestSpec => ({ method: 'GET', path: `/api/v1/recall/${encodeURIComponent(id)}` }));
  const byBarcode = samples.barcodes.map((barcode): RequestSpec => ({ method: 'POST', path: '/api/v1/safety-check', body: { barcode } }));
  const byModel = samples.modelNumbers.map((model_number): RequestSpec => ({ method: 'POST', path: '/api/v1/safety-check', body: { model_number } }));
  return [
    { key: 'fuzzy-search', title: '1. Fuzzy search (30 typo queries)', requests: fuzzy, baseline: 'bare-fastify-pg' },
    { key: 'fuzzy-search-single-client', title: '1b. Fuzzy search, one client, vs the original SQL', requests: fuzzy, connections: 1, original: true },
    { key: 'quality-set-single-client', title: `1c. Quality set search (${quality.length} queries), one client`, requests: quality, connections: 1, passes: 2 },
    ...(options.heldOut
      ? [
          {
            key: 'held-out-set-single-client',
            title: `1d. Held-out quality search (${HELD_OUT_QUERIES.length} queries), one client`,
            requests: qualityRequests(HELD_OUT_QUERIES),
            connections: 1,
            passes: 2,
          },
        ]
      : []),
    {
      key: 'filter-search',
      title: '2. Filter-only search (CPSC, 2010–2015)',
      requests: [{ method: 'POST', path: '/api/v1/search/advanced', body: { agencies: ['CPSC'], date_from: '2010-01-01', date_to: '2015-12-31' } }],
      baseline: 'bare-fastify-pg',
    },
    { key: 'recall-by-id', title: '3. Recall by id', requests: byId, baseline: 'bare-fastify-pg' },
    { key: 'recall-by-id-single-client', title: '3b. Recall by id, one client', requests: byId, connections: 1 },
    { key: 'safety-check-barcode', title: '4. Safety check by barcode (GTIN-14)', requests: byBarcode, baseline: 'bare-fastify-pg' },
    { key: 'safety-check-barcode-single-client', title: '4b. Safety check by barcode, one client', requests: byBarcode, connections: 1 },
    { key: 'safety-check-model', title: '5. Safety check by model number', requests: byModel, baseline: 'bare-fastify-pg' },
    { key: 'safety-check-model-single-client', title: '5b. Safety check by model number, one client', requests: byModel, connections: 1 },
    { key: 'health-live', title: '6. GET /health/live', requests: [{ method: 'GET', path: '/health/live' }], baseline: 'bare-fastify-live' },
  ];
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      quick: { type: 'boolean' },
      import: { type: 'boolean' },
      'skip-import': { type: 'boolean' },
      'import-rows': { type: 'string' },
      build: { type: 'boolean' },
      'skip-original': { type: 'boolean' },
      only: { type: 'string' },
      'held-out': { type: 'boolean' },
      'results-dir': { type: 'string' },
      'log-level': { type: 'string' },
    },
  });
  const logLevel = values['log-level'];
  if (logLevel !== undefined && !['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new Error('--log-level must be debug, info, warn or error');
  const only = values.only?.split(',').map((key) => key.trim()).filter(Boolean);
  const quick = values.quick ?? false;
  const durationSec = positiveInteger(values.duration, 'duration', quick ? 1 : 10);
  const warmupSec = positiveInteger(values.warmup, 'warmup', quick ? 1 : 3);
  const connections = Math.max(1, positiveInteger(values.connections, 'connections', 10));
  const seed = positiveInteger(values.seed, 'seed', 1);
  const runImport = !only && (values.import ?? (!quick && !values['skip-import']));
  const databaseUrl = process.env.DATABASE_URL;
  const databaseName = benchDatabaseSettings(databaseUrl).target;
  const autocannon = loadAutocannon();
  const log = (line: string) => console.log(line);
  const startedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const failures: string[] = [];

  if (values.build || !existsSync(SERVICE_ENTRY)) {
    log('Building the service (npm run build)…');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }

  // Migrations, optional seeding, counts and request targets, then the connection is closed before the load.
  const dataSource = await openBenchDataSource(databaseUrl);
  let seeded: BenchResult['database']['seeded'];
  let counts;
  let samples: Samples;
  let postgresVersion: string;
  try {
    if (values.rows !== undefined) {
      const rows = positiveInteger(values.rows, 'rows', 0);
      log(`Seeding ${rows} synthetic recalls (seed ${seed})…`);
      const seedResult = await seedRecalls(dataSource, { rows, seed, log });
      const inserted = seedResult.summaries.reduce((sum, summary) => sum + summary.inserted, 0);
      seeded = { rows, seconds: seedResult.seconds, recordsPerSecond: seedResult.recordsPerSecond, inserted };
      log(`  ${Math.round(seedResult.recordsPerSecond)} records/s, ${inserted} inserted`);
    }
    await dataSource.query('ANALYZE recalls; ANALYZE recall_identifiers');
    counts = await tableCounts(dataSource);
    if (counts.recalls === 0) throw new Error('the database holds no recalls: seed it first (npm run bench:seed -- --rows N, or --rows here)');
    samples = await sampleTargets(dataSource, counts.recalls, counts.recallIdentifiers);
    postgresVersion = ((await dataSource.query('SHOW server_version'))[0].server_version as string).replace(/^/, 'PostgreSQL ');
  } finally {
    await dataSource.destroy();
  }

  const result: BenchResult = {
    startedAt,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memory: freeMemoryLine(),
      node: process.version,
      postgres: postgresVersion,
      platform: `${platform()} ${process.arch}`,
    },
    settings: { durationSec, warmupSec, connections, quick, seed },
    database: { name: databaseName.type === 'postgres' ? databaseName.database : '', ...counts, seeded },
    service: { command: `NODE_ENV=production node ${[...SERVICE_NODE_FLAGS, 'dist/src/main.js'].join(' ')}`, timeToReadyMs: null },
    scenarios: [],
    failures,
  };

  let service: Awaited<ReturnType<typeof startService>> | undefined;
  let loggingService: Started | undefined;
  let pgBaseline: Started | undefined;
  let liveBaseline: Started | undefined;
  try {
    try {
      service = await startService(databaseUrl!);
      result.service.timeToReadyMs = Math.round(service.timeToReadyMs);
      log(`Service ready in ${result.service.timeToReadyMs} ms on port ${service.port}`);
    } catch (error) {
      result.service.startError = (error as Error).message;
      failures.push(`service did not start: ${(error as Error).message}`);
    }
    if (service) {
      pgBaseline = await startBaseline('bare-fastify-pg.ts', { ...process.env, CURSOR_SECRET: service.secretKey });
      liveBaseline = await startBaseline('bare-fastify-live.ts', process.env);
      // Its output goes to a file, as a container runtime writes it: read through a pipe by this process, the load
      // generator, a log line per request would cost the service what reading it costs autocannon here.
      if (logLevel) {
        const logFile = join(tmpdir(), `babyshield-bench-${logLevel}-${process.pid}.log`);
        loggingService = await startService(databaseUrl!, undefined, 'built', logLevel, logFile);
        log(`Service at LOG_LEVEL=${logLevel} ready on port ${loggingService.port}, writing to ${logFile}`);
      }
      const servers = { 'bare-fastify-pg': pgBaseline, 'bare-fastify-live': liveBaseline } as const;

      const preflights = new Map<string, Awaited<ReturnType<typeof preflight>>>();
      const reportedPreflights = new Set<string>();
      const all = scenarios(samples, { heldOut: values['held-out'] ?? false });
      const unknown = (only ?? []).filter((key) => !all.some((spec) => spec.key === key));
      if (unknown.length > 0) throw new Error(`--only: no scenario ${unknown.join(', ')} (scenarios: ${all.map((spec) => spec.key).join(', ')})`);
      for (const spec of all.filter((each) => !only || only.includes(each.key))) {
        const scenarioConnections = spec.connections ?? connections;
        log(`${spec.title}: ${spec.requests.length} distinct requests, ${scenarioConnections} connection(s)`);
        const preflightKey = JSON.stringify(spec.requests);
        const checked = preflights.get(preflightKey) ?? (await preflight(service.port, spec.requests));
        if (preflights.has(preflightKey)) reportedPreflights.add(preflightKey);
        preflights.set(preflightKey, checked);
        const notes = checked.failures.map((failure) => `preflight: ${failure}`);
        if (spec.passes) notes.push(`one unmeasured pass over the ${spec.requests.length} requests, then ${quick ? 1 : spec.passes} measured (not the time-based runs)`);
        if (checked.emptyResults > 0) notes.push(`${checked.emptyResults} of ${checked.requests} distinct requests returned no results`);

        const settle = () => waitForIdleDatabase(databaseUrl!, result.database.name);
        const warm = async (server: Started) => {
          await settle();
          if (spec.passes) await load(autocannon, server.port, spec.requests, { connections: scenarioConnections, amount: spec.requests.length });
          else if (warmupSec > 0) await load(autocannon, server.port, spec.requests, { connections: scenarioConnections, durationSec: warmupSec });
        };
        const run = async (server: Started, seconds: number) => {
          await settle();
          const size = spec.passes ? { amount: spec.requests.length * (quick ? 1 : spec.passes) } : { durationSec: seconds };
          return loadRaw(autocannon, server.port, spec.requests, { connections: scenarioConnections, ...size }, server.process.pid);
        };
        let measurements: Pick<ScenarioResult, 'service' | 'baseline'>;
        if (spec.baseline) {
          // Service and baseline in halves, service-baseline-baseline-service: a machine that speeds up or slows
          // down during the scenario (a shared host does) favours neither side of the ratio.
          const baselineServer = servers[spec.baseline];
          const half = Math.max(1, Math.round(durationSec / 2));
          await warm(service);
          const serviceFirst = await run(service, half);
          await warm(baselineServer);
          const baselineRuns = [await run(baselineServer, half), await run(baselineServer, half)];
          const serviceSecond = await run(service, half);
          measurements = {
            service: { target: 'service', ...summarize([serviceFirst, serviceSecond]) },
            baseline: { target: spec.baseline, ...summarize(baselineRuns) },
          };
        } else {
          await warm(service);
          measurements = { service: { target: 'service', ...summarize([await run(service, durationSec)]) } };
        }
        const scenario: ScenarioResult = {
          key: spec.key,
          title: spec.title,
          request: `${spec.requests[0].method} ${spec.requests[0].path.replace(/\/api\/v1\/recall\/.*/, '/api/v1/recall/<id>')}`,
          ...measurements,
          preflight: { requests: checked.requests, non2xx: checked.non2xx, emptyResults: checked.emptyResults },
          notes,
        };
        if (scenario.baseline && scenario.service.requests > 0 && scenario.baseline.requests > 0) {
          scenario.throughputRatio = scenario.service.requestsPerSecond / scenario.baseline.requestsPerSecond;
        }
        if (loggingService && logLevel) {
          // The same halves as a baseline: warn, then LOG_LEVEL, LOG_LEVEL, warn.
          const half = Math.max(1, Math.round(durationSec / 2));
          await warm(service);
          const warnFirst = await run(service, half);
          await warm(loggingService);
          const levelRuns = [await run(loggingService, half), await run(loggingService, half)];
          const warnSecond = await run(service, half);
          const atWarn = { target: 'service' as const, ...summarize([warnFirst, warnSecond]) };
          const atLevel = { target: 'service' as const, ...summarize(levelRuns) };
          scenario.logging = { level: logLevel, atWarn, atLevel, throughputRatio: atLevel.requestsPerSecond / atWarn.requestsPerSecond };
          log(`  LOG_LEVEL=${logLevel} ${atLevel.requestsPerSecond.toFixed(0)} req/s vs warn ${atWarn.requestsPerSecond.toFixed(0)} req/s: ${scenario.logging.throughputRatio.toFixed(3)}×`);
        }
        if (spec.original && !values['skip-original']) {
          await settle();
          scenario.original = await measureOriginal(autocannon, pgBaseline, spec.requests, durationSec);
          if (scenario.service.requests > 0 && scenario.original.requests > 0) {
            scenario.timesFasterThanOriginal = scenario.original.latencyMs.p50 / scenario.service.latencyMs.p50;
          }
        }
        for (const measurement of [scenario.service, scenario.baseline, scenario.original, scenario.logging?.atWarn, scenario.logging?.atLevel]) {
          if (measurement && measurement.errors + measurement.non2xx > 0) {
            failures.push(`${spec.key} (${measurement.target}): ${measurement.errors} errors, ${measurement.non2xx} non-2xx ${JSON.stringify(measurement.statusCounts)}`);
          }
          // Too slow to finish one request in the measured time is a finding, not an error: reported, never failed on.
          if (measurement && measurement.requests === 0) notes.push(`${measurement.target}: no request completed within ${durationSec} s`);
        }
        if (checked.non2xx > 0 && !reportedPreflights.has(preflightKey)) failures.push(`${spec.key}: ${checked.non2xx} preflight requests failed (${checked.failures.join('; ')})`);
        const { service: measured } = scenario;
        log(
          `  service ${measured.requestsPerSecond.toFixed(0)} req/s, p50 ${measured.latencyMs.p50.toFixed(2)} ms` +
            (scenario.throughputRatio !== undefined ? `; ${scenario.throughputRatio.toFixed(2)}× baseline` : '') +
            (scenario.timesFasterThanOriginal !== undefined ? `; ${scenario.timesFasterThanOriginal.toFixed(1)}× faster than the original SQL` : ''),
        );
        result.scenarios.push(scenario);
      }
    }
  } finally {
    if (service && failures.length > 0) log(`Service output (last lines):\n${service.output.slice(-20).join('\n')}`);
    await Promise.all([stop(service), stop(loggingService), stop(pgBaseline), stop(liveBaseline)]);
  }

  // Its own service process, with the event-loop probe preloaded (the load scenarios above ran without it).
  if (!only) {
    log('Request bounds: the costliest bodies under the body limit, event-loop time per request and /health/live latency…');
    let probed: Awaited<ReturnType<typeof startService>> | undefined;
    try {
      const builtProbe = join(ROOT, 'dist', 'bench', 'event-loop-probe.js');
      probed = await startService(databaseUrl!, existsSync(builtProbe) ? ['-r', builtProbe] : ['-r', 'ts-node/register/transpile-only', '-r', join(__dirname, 'event-loop-probe.ts')]);
      const bodyLimitBytes = Number(process.env.BODY_LIMIT_BYTES ?? 1_048_576);
      result.requestBounds = await measureRequestBounds({ port: probed.port, service: probed.process, jwtSecretKey: probed.jwtSecretKey, bodyLimitBytes, quick, log });
      failures.push(...result.requestBounds.failures);
    } catch (error) {
      failures.push(`request-bounds: ${(error as Error).message}`);
    } finally {
      if (probed && failures.some((failure) => failure.startsWith('request-bounds'))) log(`Service output (last lines):\n${probed.output.slice(-20).join('\n')}`);
      await stop(probed);
    }
  }

  if (runImport) {
    const records = positiveInteger(values['import-rows'], 'import-rows', quick ? 2000 : 100_000);
    log(`Import throughput: ${records} CPSC-format recalls…`);
    result.importThroughput = await measureImportThroughputInProcess({ databaseUrl, records, seed, repeats: quick ? 1 : 3, log });
  }

  const jsonPath = writeResultJson(result, values['results-dir']);
  // A smoke run (tiny data, 1 s runs) proves the harness works, and --only measures a part: neither replaces the whole.
  const partial = quick || only !== undefined;
  if (!partial) updateBenchmarksMd(result, jsonPath);
  log(`\n${markdownReport(result)}\n\nWrote ${jsonPath}${partial ? ` (${quick ? 'smoke' : 'partial'} run: BENCHMARKS.md left alone)` : ' and BENCHMARKS.md'}`);
  if (failures.length > 0) {
    console.error(`\nBenchmark FAILED (errors, not timings): ${failures.join('; ')}`);
    return 1;
  }
  return 0;
}

/**
 * The original SQL scans every row, so a run is sized by the first request's time: at least 3 requests, about
 * `durationSec` of them; one client, a timeout long enough for the slowest.
 */
async function measureOriginal(autocannon: Autocannon, server: Started, requests: RequestSpec[], durationSec: number): Promise<LoadMeasurement> {
  const original = requests.map((spec) => ({ ...spec, path: '/original/search' }));
  const probeStarted = performance.now();
  const probe = await fetch(`http://127.0.0.1:${server.port}/original/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(original[0].body),
  });
  await probe.arrayBuffer();
  const probeSec = (performance.now() - probeStarted) / 1000;
  const amount = Math.max(3, Math.min(10_000, Math.round(durationSec / Math.max(probeSec, 0.001))));
  const measured = await load(autocannon, server.port, original, { connections: 1, amount, timeoutSec: Math.max(30, Math.ceil(probeSec * 5)) }, server.process.pid);
  return { target: 'original-sql', ...measured };
}

function freeMemoryLine(): string {
  try {
    const line = execFileSync('free', ['-g'], { encoding: 'utf8' }).split('\n').find((row) => row.startsWith('Mem:'));
    const total = line?.trim().split(/\s+/)[1];
    return total ? `${total} GiB (free -g)` : 'unknown';
  } catch {
    return 'unknown';
  }
}

if (require.main === module) {
  main()
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(`bench failed: ${(error as Error).stack ?? error}`);
      process.exit(1);
    });
}
