import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from './run';
import { fuzzyQueries } from './queries';

/**
 * Two builds of the service (two checkouts, e.g. git worktrees of two commits, each with `npm run build` done),
 * each on its own database, measured alternately on the 30 fuzzy queries of `npm run bench` (10 connections):
 * for comparing versions whose own bench harness differs (an old commit has neither `--only` nor the modules
 * today's baselines import). Each round starts both services afresh, in turn, the order swapped every round, so a
 * host that speeds up or slows down favours neither.
 *
 *   node -r ts-node/register bench/compare-services.ts \
 *     --a /tmp/old=postgresql://postgres@127.0.0.1:5432/babyshield_bench_before \
 *     --b .=postgresql://postgres@127.0.0.1:5432/babyshield_bench --rounds 4 --duration 10
 */
interface Target {
  label: string;
  checkout: string;
  databaseUrl: string;
}

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p975: number;
  max: number;
  failed: number;
}

type Autocannon = (options: Record<string, unknown>, done: (error: unknown, result: AutocannonResult) => void) => void;
interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p97_5: number; max: number };
  errors: number;
  non2xx: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function target(label: string, value: string | undefined): Target {
  const at = value?.indexOf('=') ?? -1;
  if (!value || at < 1) throw new Error(`--${label} must be <checkout>=<database url>`);
  return { label, checkout: resolve(value.slice(0, at)), databaseUrl: value.slice(at + 1) };
}

/** The built service of a checkout, as `npm run start:prod` runs it, on a free port; resolves once ready. */
async function startService(checkout: string, databaseUrl: string, port: number): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SECRET_KEY: randomBytes(32).toString('hex'),
    JWT_SECRET_KEY: randomBytes(32).toString('hex'),
    RATE_LIMIT_MAX: '0',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    SHUTDOWN_GRACE_MS: '0',
  };
  delete env.ENVIRONMENT;
  delete env.TEST_MODE;
  const child = spawn(process.execPath, ['--max-old-space-size=128', join(checkout, 'dist', 'src', 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let waited = 0; waited < 60_000; waited += 100) {
    if (child.exitCode !== null) throw new Error(`the service of ${checkout} exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      await response.arrayBuffer();
      if (response.status === 200) return child;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`the service of ${checkout} was not ready within 60 s`);
}

function load(port: number, seconds: number): Promise<Measured> {
  const autocannon = require('autocannon') as Autocannon;
  const requests = fuzzyQueries().map((product) => ({
    method: 'POST',
    path: '/api/v1/search/advanced',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ product, limit: 20 }),
  }));
  return new Promise((done, fail) =>
    autocannon({ url: `http://127.0.0.1:${port}`, connections: 10, duration: seconds, requests }, (error, result) =>
      error
        ? fail(error)
        : done({
            requestsPerSecond: result.requests.average,
            p50: result.latency.p50,
            p975: result.latency.p97_5,
            max: result.latency.max,
            failed: result.errors + result.non2xx,
          }),
    ),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { a: { type: 'string' }, b: { type: 'string' }, rounds: { type: 'string' }, duration: { type: 'string' } } });
  const targets = [target('a', values.a), target('b', values.b)];
  const rounds = Number(values.rounds ?? 2);
  const duration = Number(values.duration ?? 10);
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(duration) || duration < 1) throw new Error('--rounds and --duration must be positive integers');
  const results = new Map<string, Measured[]>(targets.map((each) => [each.label, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const each of round % 2 === 0 ? targets : [...targets].reverse()) {
      const port = await freePort();
      const service = await startService(each.checkout, each.databaseUrl, port);
      try {
        await load(port, 3); // warm-up
        const measured = await load(port, duration);
        results.get(each.label)!.push(measured);
        console.log(
          `${each.label} (${each.checkout}) round ${round + 1}: ${measured.requestsPerSecond.toFixed(1)} req/s, p50 ${measured.p50} ms, ` +
            `p97.5 ${measured.p975} ms, max ${measured.max} ms, failed ${measured.failed}`,
        );
      } finally {
        service.kill('SIGTERM');
        await sleep(1000);
      }
    }
  }
  const median = (runs: Measured[]) => [...runs].sort((x, y) => x.requestsPerSecond - y.requestsPerSecond)[Math.floor(runs.length / 2)].requestsPerSecond;
  const [a, b] = targets.map((each) => median(results.get(each.label)!));
  console.log(`median req/s: a ${a.toFixed(1)}, b ${b.toFixed(1)}; b ÷ a ${(b / a).toFixed(2)}`);
  if ([...results.values()].some((runs) => runs.some((run) => run.failed > 0))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`compare-services failed: ${(error as Error).message ?? error}`);
  process.exit(1);
});
