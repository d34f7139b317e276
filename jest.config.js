// Three projects: unit specs beside the code, the e2e suite on in-memory SQLite, and the same e2e suite on
// PostgreSQL, only when TEST_DATABASE_URL is a PostgreSQL URL (the last lines of the run say so when it is not).
// `npx jest` runs them all, in parallel workers; each worker has a PostgreSQL database of its own.
const { isPostgresTestRunRequested } = require('./test/setup/postgres-run');

const transform = {
  '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
// Nest 12 and a few of its dependencies ship ESM only; Jest needs them transformed to CommonJS.
const transformIgnorePatterns = ['/node_modules/(?!(@nestjs|uid|file-type|strtok3|token-types|peek-readable|@tokenizer|load-esm|cookie|content-disposition)/)'];
const common = { transform, transformIgnorePatterns, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };
// Every e2e test starts the real application, applies migrations and often imports the sample feeds: on a loaded
// machine (and on PostgreSQL) that takes longer than Jest's 5 s default. A timeout is a hang detector, not a speed test.
// Jest reads testTimeout from the root configuration only (a project's own is ignored), so it is set there, for all.
const TEST_TIMEOUT_MS = 60_000;

module.exports = {
  testTimeout: TEST_TIMEOUT_MS,
  // After Jest's own report: whether the PostgreSQL run happened, and the one line of totals CI reads.
  reporters: ['default', '<rootDir>/test/setup/totals-reporter.js'],
  projects: [
    // bench/ holds the synthetic-data generator, whose output the benchmarks and quality runs depend on.
    { ...common, displayName: 'unit', rootDir: 'src', roots: ['<rootDir>', '<rootDir>/../bench'], testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e-sqlite',
      rootDir: '.',
      // Whole-process specs (start-up refusals, SIGTERM) use in-memory SQLite, so they run once, here.
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.process-spec.ts'],
      setupFiles: ['<rootDir>/test/setup/sqlite.setup.ts'],
    },
    ...(isPostgresTestRunRequested()
      ? [
          {
            ...common,
            displayName: 'e2e-postgres',
            rootDir: '.',
            testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.pg-e2e-spec.ts'],
            setupFiles: ['<rootDir>/test/setup/postgres.setup.ts'],
            globalSetup: '<rootDir>/test/setup/postgres.global-setup.ts',
            globalTeardown: '<rootDir>/test/setup/postgres.global-teardown.ts',
          },
        ]
      : []),
  ],
};
