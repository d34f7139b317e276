// The last lines of every Jest run: whether the PostgreSQL e2e run happened, and one line of totals, which CI reads:
//   tests: N passed, M failed, K skipped
const { writeSync } = require('node:fs');
const { isPostgresTestRunRequested } = require('./postgres-run');

class TotalsReporter {
  constructor() {
    const selected = selectedProjects(process.argv);
    this.postgresSelected = !selected || selected.includes('e2e-postgres');
  }

  onRunComplete(_contexts, results) {
    const lines = [];
    if (this.postgresSelected && !isPostgresTestRunRequested()) {
      lines.push(
        '',
        '=== e2e on PostgreSQL: NOT RUN ===',
        'TEST_DATABASE_URL is not set to a postgresql:// URL, so the PostgreSQL e2e run did not execute.',
        'Example: TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/babyshield_test npm test',
      );
    }
    const failed = results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0);
    const skipped = results.numPendingTests + results.numTodoTests;
    lines.push('', `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
    // Jest's own summary is written after every reporter's: these lines wait for the process to end, so they come last.
    process.once('exit', () => writeSync(1, `${lines.join('\n')}\n`));
  }
}

/** The names given to --selectProjects (Jest keeps them out of the configuration it hands reporters), or undefined. */
function selectedProjects(argv) {
  const at = argv.findIndex((arg) => arg === '--selectProjects' || arg.startsWith('--selectProjects='));
  if (at === -1) return undefined;
  if (argv[at].includes('=')) return argv[at].slice(argv[at].indexOf('=') + 1).split(',');
  const names = [];
  for (const arg of argv.slice(at + 1)) {
    if (arg.startsWith('-')) break;
    names.push(arg);
  }
  return names;
}

module.exports = TotalsReporter;
