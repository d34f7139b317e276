import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ImportThroughputResult } from './import-throughput';
import { requestBoundsReport, RequestBoundsResult } from './request-bounds';

/** Numbers of one load run against one server. */
export interface LoadMeasurement {
  target: 'service' | 'bare-fastify-pg' | 'bare-fastify-live' | 'original-sql';
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  statusCounts: Record<string, number>;
  peakRssMb: number | null;
}

export interface ScenarioResult {
  key: string;
  title: string;
  request: string;
  service: LoadMeasurement;
  baseline?: LoadMeasurement;
  /** service req/s ÷ baseline req/s */
  throughputRatio?: number;
  /** Only for the original-SQL comparison: original p50 ÷ service p50. */
  original?: LoadMeasurement;
  timesFasterThanOriginal?: number;
  /** With --log-level: the scenario on a service at warn and one at `level`, in interleaved halves; ratio = level ÷ warn req/s. */
  logging?: { level: string; atWarn: LoadMeasurement; atLevel: LoadMeasurement; throughputRatio: number };
  /** What one pass over the scenario's requests returned before the load (sanity of the data, not timing). */
  preflight: { requests: number; non2xx: number; emptyResults: number };
  notes: string[];
}

export interface BenchResult {
  startedAt: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memory: string; node: string; postgres: string; platform: string };
  settings: { durationSec: number; warmupSec: number; connections: number; quick: boolean; seed: number };
  database: { name: string; recalls: number; recallIdentifiers: number; seeded?: { rows: number; seconds: number; recordsPerSecond: number; inserted: number } };
  service: { command: string; timeToReadyMs: number | null; startError?: string };
  scenarios: ScenarioResult[];
  importThroughput?: ImportThroughputResult;
  requestBounds?: RequestBoundsResult;
  failures: string[];
}

export const RESULTS_DIR = join(__dirname, 'results');
const BENCHMARKS_MD = join(__dirname, '..', 'BENCHMARKS.md');
const SECTION_START = '<!-- bench:results:start -->';
const SECTION_END = '<!-- bench:results:end -->';

/**
 * <dir>/<ISO timestamp>.json, bench/results by default (colons replaced: the name must be valid on every file system
 * and in CI artifacts).
 */
export function writeResultJson(result: BenchResult, dir = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${result.startedAt.replace(/:/g, '-')}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

const number = (value: number | undefined, digits = 0) =>
  value === undefined || !Number.isFinite(value) ? '–' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value: number) => number(value, value < 10 ? 2 : 1);

function measurementRow(label: string, measurement: LoadMeasurement, ratio: string): string {
  const { latencyMs } = measurement;
  return `| ${label} | ${measurement.connections} | ${number(measurement.requestsPerSecond, measurement.requestsPerSecond < 10 ? 2 : 0)} | ${ms(latencyMs.p50)} | ${ms(latencyMs.p95)} | ${ms(latencyMs.p99)} | ${ms(latencyMs.max)} | ${measurement.errors + measurement.non2xx} | ${measurement.peakRssMb === null ? '–' : number(measurement.peakRssMb)} | ${ratio} |`;
}

/** The result as markdown: one table row per measured server, grouped by scenario. */
export function markdownReport(result: BenchResult): string {
  const lines: string[] = [];
  const { machine, settings, database, service } = result;
  lines.push(
    `Run ${result.startedAt}: \`${result.command}\``,
    '',
    `Machine: ${machine.cpus} CPU (${machine.cpuModel}), memory ${machine.memory}, Node ${machine.node}, ${machine.postgres}. ` +
      `Load generator (autocannon), service, baselines and PostgreSQL all share this machine.`,
    '',
    `Database \`${database.name}\`: ${number(database.recalls)} recalls, ${number(database.recallIdentifiers)} recall_identifiers` +
      (database.seeded ? ` (seeded in this run: ${number(database.seeded.inserted)} inserted at ${number(database.seeded.recordsPerSecond)} records/s)` : '') +
      `. Each measurement: ${settings.warmupSec} s warm-up, then ${settings.durationSec} s measured (with a baseline: two halves each, service-baseline-baseline-service).`,
    '',
    `Service time to ready (spawn → /health/ready 200): ${service.timeToReadyMs === null ? `did not start (${service.startError})` : `${number(service.timeToReadyMs)} ms`}`,
    '',
    '| scenario / server | conn. | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | peak RSS MB | vs baseline |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const scenario of result.scenarios) {
    lines.push(`| **${scenario.title}** | | | | | | | | | |`);
    lines.push(
      measurementRow(
        'service',
        scenario.service,
        scenario.throughputRatio !== undefined
          ? `${number(scenario.throughputRatio, 2)}× baseline req/s`
          : scenario.timesFasterThanOriginal !== undefined
            ? `${number(scenario.timesFasterThanOriginal, 1)}× faster p50 than original SQL`
            : '',
      ),
    );
    if (scenario.baseline) lines.push(measurementRow(scenario.baseline.target, scenario.baseline, 'baseline'));
    if (scenario.original) lines.push(measurementRow('original SQL (bare Fastify + pg)', scenario.original, 'original'));
    if (scenario.logging) {
      lines.push(measurementRow('service, LOG_LEVEL=warn', scenario.logging.atWarn, ''));
      lines.push(measurementRow(`service, LOG_LEVEL=${scenario.logging.level}`, scenario.logging.atLevel, `${number(scenario.logging.throughputRatio, 3)}× req/s at warn`));
    }
    for (const note of scenario.notes) lines.push(`| ↳ ${note} | | | | | | | | | |`);
  }
  if (result.importThroughput) {
    const run = result.importThroughput;
    lines.push(
      '',
      `Import throughput (${number(run.records)} CPSC-format recalls, ${number(run.fileBytes / 1_048_576, 1)} MB file, ` +
        `RecallImporter.importFile into an empty database, batches of ${run.batchSize}, in a process of its own (npm run bench:import); ` +
        `median of ${run.runs.length} run(s), each into a new database):`,
      '',
      '| pass | seconds | records/s | inserted | updated | unchanged | rejected |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...[['first import (empty database)', run.firstImport] as const, ['re-import (all unchanged)', run.reimport] as const].map(
        ([label, pass]) =>
          `| ${label} | ${number(pass.seconds, 1)} | ${number(pass.recordsPerSecond)} | ${number(pass.inserted)} | ${number(pass.updated)} | ${number(pass.unchanged)} | ${number(pass.rejected)} |`,
      ),
      '',
      `Every run (records/s): first import ${run.runs.map((each) => number(each.firstImport.recordsPerSecond)).join(', ')}; ` +
        `re-import ${run.runs.map((each) => number(each.reimport.recordsPerSecond)).join(', ')}.`,
    );
  }
  if (result.requestBounds) lines.push(...requestBoundsReport(result.requestBounds));
  if (result.failures.length > 0) lines.push('', `**Failures:** ${result.failures.join('; ')}`);
  return lines.join('\n');
}

/** Replaces the generated section of BENCHMARKS.md (creating the file if needed); text outside it is kept. */
export function updateBenchmarksMd(result: BenchResult, jsonPath: string): void {
  const section = [
    SECTION_START,
    `## Latest results`,
    '',
    `Generated by \`bench/run.ts\` from \`${relative(join(__dirname, '..'), jsonPath)}\`; do not edit by hand between the markers.`,
    '',
    markdownReport(result),
    SECTION_END,
  ].join('\n');
  const current = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '';
  const start = current.indexOf(SECTION_START);
  const end = current.indexOf(SECTION_END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${section}${current.slice(end + SECTION_END.length)}`
      : `${current.trimEnd()}${current ? '\n\n' : ''}${section}\n`;
  writeFileSync(BENCHMARKS_MD, next);
}
