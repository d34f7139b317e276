import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from './config-validation.error';
import { loadConfiguration, loadDatabaseConfiguration } from './configuration';
import { interpolate } from './yaml-config.loader';

const STRONG = 'b5f0c3e1a9d24f7e8c6b1a0d3e5f7a9c';
const STRONG_JWT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const emptyConfigDir = mkdtempSync(join(tmpdir(), 'babyshield-config-'));

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...env });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}

const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://app:pw@db:5432/babyshield', SECRET_KEY: STRONG, JWT_SECRET_KEY: STRONG_JWT };

describe('environment', () => {
  it('treats ENVIRONMENT=production (the original variable) as production', () => {
    expect(problemsOf({ ENVIRONMENT: 'production' })).toContain(
      'DATABASE_URL is required in production (postgresql://user:password@host:5432/dbname)',
    );
  });

  it('refuses NODE_ENV and ENVIRONMENT that disagree', () => {
    expect(problemsOf({ NODE_ENV: 'development', ENVIRONMENT: 'production' })).toEqual([
      'NODE_ENV ("development") and ENVIRONMENT ("production") disagree; set one, or set both to the same value',
    ]);
  });

  it('refuses an unknown NODE_ENV', () => {
    expect(problemsOf({ NODE_ENV: 'qa' })[0]).toMatch(/NODE_ENV must be one of development, test, staging, production/);
  });
});

describe('production guard', () => {
  it('starts with PostgreSQL and strong secrets', () => {
    const config = loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...production });
    expect(config.app.isProduction).toBe(true);
    expect(config.database.target).toMatchObject({ type: 'postgres', host: 'db', database: 'babyshield' });
    expect(config.database.runMigrationsOnStart).toBe(false);
    expect(config.app.logFormat).toBe('json');
  });

  it('refuses LOG_FORMAT=pretty in production: log shippers read JSON lines', () => {
    expect(problemsOf({ ...production, LOG_FORMAT: 'pretty' })).toEqual(['LOG_FORMAT=pretty is not allowed in production; production logs are JSON lines']);
  });

  it('refuses a sqlite DATABASE_URL in production', () => {
    expect(problemsOf({ ...production, DATABASE_URL: 'sqlite:///./prod.db' })).toEqual([
      'DATABASE_URL points at SQLite; production needs PostgreSQL (postgresql://...)',
    ]);
  });

  it('refuses a missing database URL in production', () => {
    expect(problemsOf({ ...production, DATABASE_URL: undefined })).toEqual([
      'DATABASE_URL is required in production (postgresql://user:password@host:5432/dbname)',
    ]);
  });

  it('refuses TEST_MODE=true in production', () => {
    expect(problemsOf({ ...production, TEST_MODE: 'true' })).toContain('TEST_MODE=true is not allowed in production');
  });

  it.each(['dev-secret-key', 'changeme', 'secret', 'change-me-to-a-random-string-of-at-least-32-characters!'])(
    'refuses the placeholder SECRET_KEY "%s"',
    (secret) => {
      expect(problemsOf({ ...production, SECRET_KEY: secret })).toEqual([
        'SECRET_KEY is a known placeholder value; generate one with: openssl rand -hex 32',
      ]);
    },
  );

  it('refuses secrets shorter than 32 characters and missing ones, all at once', () => {
    expect(problemsOf({ ...production, SECRET_KEY: 'x'.repeat(31), JWT_SECRET_KEY: undefined })).toEqual([
      'SECRET_KEY must be at least 32 characters (got 31)',
      'JWT_SECRET_KEY is required in production',
    ]);
  });

  it('reports every problem at once: database, test mode and both secrets', () => {
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'sqlite:///x.db', TEST_MODE: '1', SECRET_KEY: 'changeme' })).toHaveLength(4);
  });

  it('names the variable of a malformed URL without echoing its password, and only once', () => {
    const problems = problemsOf({ ...production, DATABASE_URL: 'postgresql://app:topsecret@db:notaport/x' });
    expect(problems).toEqual(['DATABASE_URL has an invalid port "notaport"']);
  });
});

describe('database selection', () => {
  it('falls back to a SQLite file in development with one warning', () => {
    const config = loadConfiguration({ CONFIG_DIR: emptyConfigDir });
    expect(config.app.environment).toBe('development');
    expect(config.database.target).toEqual({ type: 'sqlite', path: './data/babyshield_dev.db' });
    expect(config.database.runMigrationsOnStart).toBe(true);
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toMatch(/data\/babyshield_dev\.db/);
  });

  it('requires a database in staging instead of falling back silently', () => {
    expect(problemsOf({ NODE_ENV: 'staging', SECRET_KEY: STRONG, JWT_SECRET_KEY: STRONG_JWT })[0]).toMatch(/DATABASE_URL is required in staging/);
  });

  it('builds the URL from DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD and DB_NAME', () => {
    const config = loadConfiguration({
      CONFIG_DIR: emptyConfigDir,
      DB_HOST: 'pg.internal',
      DB_PORT: '6543',
      DB_USERNAME: 'svc',
      DB_PASSWORD: 'p@ss word',
      DB_NAME: 'recalls',
    });
    expect(config.database.target).toEqual({
      type: 'postgres', host: 'pg.internal', port: 6543, username: 'svc', password: 'p@ss word', database: 'recalls', ssl: false,
    });
  });

  it('never reads DATABASE_URL in test mode: in-memory SQLite without TEST_DATABASE_URL', () => {
    const config = loadConfiguration({ CONFIG_DIR: emptyConfigDir, TEST_MODE: 'true', DATABASE_URL: 'postgresql://u:p@prod/db' });
    expect(config.database.target).toEqual({ type: 'sqlite', path: ':memory:' });
  });

  it('uses TEST_DATABASE_URL in test mode', () => {
    const config = loadConfiguration({ CONFIG_DIR: emptyConfigDir, TEST_MODE: 'true', TEST_DATABASE_URL: 'postgresql://u@h/babyshield_test' });
    expect(config.database.target).toMatchObject({ type: 'postgres', database: 'babyshield_test' });
  });

  it('refuses a TEST_DATABASE_URL whose database name does not say test', () => {
    expect(problemsOf({ TEST_MODE: 'true', TEST_DATABASE_URL: 'postgresql://u@h/babyshield' })).toEqual([
      'TEST_DATABASE_URL names database "babyshield"; a test database\'s name must contain "test"',
    ]);
  });

  it('validates pool settings', () => {
    expect(problemsOf({ DB_POOL_SIZE: '0', DB_CONNECT_TIMEOUT_MS: 'soon' })).toEqual([
      'DB_POOL_SIZE must be greater than or equal to 1',
      'DB_CONNECT_TIMEOUT_MS must be a number',
    ]);
  });
});

describe('YAML environment files', () => {
  function configDirWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'babyshield-yaml-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  it('loads the active environment file, with environment variables overriding it', () => {
    const dir = configDirWith({ 'development.yaml': 'PORT: 9100\nDB_POOL_SIZE: 4\n' });
    const config = loadConfiguration({ CONFIG_DIR: dir, DB_POOL_SIZE: '7' });
    expect(config.app.port).toBe(9100);
    expect(config.database.pool.size).toBe(7);
  });

  it('interpolates ${VAR} and ${VAR:-default}', () => {
    expect(interpolate('${HOSTNAME_X:-localhost}:${PORT_X}', { PORT_X: '5' })).toBe('localhost:5');
    expect(interpolate('${UNSET_X}', {})).toBeUndefined();
    const dir = configDirWith({ 'staging.yaml': 'DATABASE_URL: postgresql://app@${PGHOST_X:-db}:5432/${PGDB_X}\n' });
    const config = loadConfiguration({ CONFIG_DIR: dir, NODE_ENV: 'staging', PGDB_X: 'stage', SECRET_KEY: STRONG, JWT_SECRET_KEY: STRONG_JWT });
    expect(config.database.target).toMatchObject({ host: 'db', database: 'stage' });
  });

  it('validates YAML values with the same schema and reports unknown keys', () => {
    const dir = configDirWith({ 'development.yaml': 'PORT: seventy\nPOOL_SIZE: 3\n' });
    expect(problemsOf({ CONFIG_DIR: dir })).toEqual([expect.stringMatching(/unknown setting POOL_SIZE/), 'PORT must be a number']);
  });

  it('ships YAML files for every environment that pass validation', () => {
    const dir = join(__dirname, '..', '..', 'config', 'environments');
    expect(loadConfiguration({ CONFIG_DIR: dir }).app.logFormat).toBe('pretty');
    expect(loadConfiguration({ CONFIG_DIR: dir, TEST_MODE: 'true', NODE_ENV: 'test' }).database.target.type).toBe('sqlite');
    expect(loadConfiguration({ CONFIG_DIR: dir, ...production }).app.shutdownGraceMs).toBe(10000);
    expect(loadConfiguration({ CONFIG_DIR: dir, ...production, NODE_ENV: 'staging' }).app.environment).toBe('staging');
  });
});

describe('.env.example', () => {
  it('holds secrets that production refuses, so a copied example can never go live', () => {
    const lines = require('node:fs').readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8').split('\n') as string[];
    const secrets = Object.fromEntries(
      lines.filter((line) => /^(SECRET_KEY|JWT_SECRET_KEY)=/.test(line)).map((line) => line.split('=', 2) as [string, string]),
    );
    expect(Object.keys(secrets)).toEqual(['SECRET_KEY', 'JWT_SECRET_KEY']);
    expect(problemsOf({ ...production, ...secrets })).toEqual([
      'SECRET_KEY is a known placeholder value; generate one with: openssl rand -hex 32',
      'JWT_SECRET_KEY is a known placeholder value; generate one with: openssl rand -hex 32',
    ]);
  });
});

describe('edge settings', () => {
  it('trusts no proxy unless TRUST_PROXY says which (a hop count or addresses)', () => {
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...production }).app.trustProxy).toBe(false);
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...production, TRUST_PROXY: '1' }).app.trustProxy).toBe(1);
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...production, TRUST_PROXY: '10.0.0.0/8' }).app.trustProxy).toEqual(['10.0.0.0/8']);
  });

  it('refuses TRUST_PROXY=true and a malformed range, with one line each', () => {
    expect(problemsOf({ ...production, TRUST_PROXY: 'true' })).toEqual([expect.stringContaining('TRUST_PROXY=true would trust X-Forwarded-For from any client')]);
    expect(problemsOf({ ...production, TRUST_PROXY: '10.0.0.0/40' })).toEqual([expect.stringContaining('TRUST_PROXY: "10.0.0.0/40" is not an IP address or CIDR range')]);
  });

  it('caps admin token lifetime at JWT_MAX_AGE_SECONDS, one hour by default', () => {
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...production }).security.jwtMaxAgeSeconds).toBe(3600);
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...production, JWT_MAX_AGE_SECONDS: '900' }).security.jwtMaxAgeSeconds).toBe(900);
    expect(problemsOf({ ...production, JWT_MAX_AGE_SECONDS: '0' })).toHaveLength(1);
  });
});

describe('database timeouts and the migration commands', () => {
  const postgres = { NODE_ENV: 'development', DATABASE_URL: 'postgresql://app:pw@db:5432/babyshield' };

  it('sets the client-side query timeout 2 s above the server statement timeout unless given', () => {
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...postgres }).database.pool).toMatchObject({ statementTimeoutMs: 15_000, queryTimeoutMs: 17_000 });
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...postgres, DB_STATEMENT_TIMEOUT_MS: '0' }).database.pool.queryTimeoutMs).toBe(0);
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...postgres, DB_QUERY_TIMEOUT_MS: '30000' }).database.pool.queryTimeoutMs).toBe(30_000);
    // The API's reads wait about the connect timeout for an answer unless told otherwise.
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...postgres }).database.pool.readTimeoutMs).toBe(5000);
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...postgres, DB_CONNECT_TIMEOUT_MS: '2000' }).database.pool.readTimeoutMs).toBe(2000);
    expect(loadConfiguration({ CONFIG_DIR: emptyConfigDir, ...postgres, DB_READ_TIMEOUT_MS: '8000' }).database.pool.readTimeoutMs).toBe(8000);
  });

  it('refuses a client-side query timeout that would fire before the server cancels the statement', () => {
    expect(problemsOf({ ...postgres, DB_QUERY_TIMEOUT_MS: '15000' })).toEqual([
      'DB_QUERY_TIMEOUT_MS (15000) must be above DB_STATEMENT_TIMEOUT_MS (15000): the server cancels a slow statement first',
    ]);
  });

  it('gives the migration commands the production database without asking for secrets', () => {
    const { SECRET_KEY: _secret, JWT_SECRET_KEY: _jwt, ...withoutSecrets } = production;
    expect(loadDatabaseConfiguration({ CONFIG_DIR: emptyConfigDir, ...withoutSecrets }).target).toMatchObject({ type: 'postgres', host: 'db' });
  });

  it('still refuses SQLite in production for the migration commands', () => {
    expect(() => loadDatabaseConfiguration({ CONFIG_DIR: emptyConfigDir, NODE_ENV: 'production', DATABASE_URL: 'sqlite:///./prod.db' })).toThrow(
      'DATABASE_URL points at SQLite; production needs PostgreSQL',
    );
  });
});
