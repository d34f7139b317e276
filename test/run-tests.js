#!/usr/bin/env node
// `npm test`: unit specs and the e2e suite on in-memory SQLite, then the same e2e suite on PostgreSQL when
// TEST_DATABASE_URL is a PostgreSQL URL (serially: the files share that one database). Ends with one summary line.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');

const e2eOnly = process.argv.includes('--e2e-only');
const passthrough = process.argv.slice(2).filter((arg) => arg !== '--e2e-only');
const jestBin = require.resolve('jest/bin/jest');
const outputDir = mkdtempSync(join(tmpdir(), 'babyshield-jest-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedRuns = 0;

function runJest(label, projects, extraArgs) {
  const outputFile = join(outputDir, `${label}.json`);
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(
    process.execPath,
    [jestBin, '--selectProjects', ...projects, '--json', `--outputFile=${outputFile}`, ...extraArgs, ...passthrough],
    { stdio: 'inherit', env: process.env },
  );
  if (result.status !== 0) failedRuns += 1;
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    totals.skipped += report.numPendingTests + report.numTodoTests;
  } catch {
    totals.failed += 1; // jest died before writing its report
  }
}

runJest(e2eOnly ? 'e2e on SQLite' : 'unit + e2e on SQLite', e2eOnly ? ['e2e-sqlite'] : ['unit', 'e2e-sqlite'], []);

const pgUrl = process.env.TEST_DATABASE_URL ?? '';
if (/^postgres(ql)?(\+\w+)?:\/\//i.test(pgUrl)) {
  runJest('e2e on PostgreSQL', ['e2e-postgres'], ['--runInBand']);
} else {
  console.log('\n=== e2e on PostgreSQL: NOT RUN ===');
  console.log('TEST_DATABASE_URL is not set to a postgresql:// URL, so the PostgreSQL e2e run did not execute.');
  console.log('Example: TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/babyshield_test npm test');
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedRuns > 0 || totals.failed > 0 ? 1 : 0);
