import { Environment, resolveEnvironment } from './environment';
import { envSchema } from './env.schema';
import { loadYamlSettings } from './yaml-config.loader';
import { ConfigValidationError } from './config-validation.error';
import { buildPostgresUrl, DatabaseTarget, DatabaseUrlError, parseDatabaseUrl, redactDatabaseUrl } from './database-url';
import { findProductionDatabaseProblems, findProductionProblems } from './production-guard';
import { TrustProxy } from './trust-proxy';

export const DEVELOPMENT_SQLITE_PATH = './data/babyshield_dev.db';
const DEVELOPMENT_SECRET = 'development-only-secret-key-not-for-production';
const QUERY_TIMEOUT_MARGIN_MS = 2000;

export interface DatabaseSettings {
  target: DatabaseTarget;
  /** Where the target came from, for logs; never contains a password. */
  origin: string;
  runMigrationsOnStart: boolean;
  pool: {
    size: number;
    connectTimeoutMs: number;
    idleTimeoutMs: number;
    /** Server-side (PostgreSQL cancels the statement); 0 = none. */
    statementTimeoutMs: number;
    /** Client-side: a query without an answer this long fails and its connection is dropped; 0 = none. */
    queryTimeoutMs: number;
    /** Client-side, for the API's reads (search, lookups, safety checks): shorter than queryTimeoutMs; 0 = that one. */
    readTimeoutMs: number;
  };
  sqlite: { busyTimeoutMs: number };
}

export interface AppSettings {
  environment: Environment;
  isProduction: boolean;
  testMode: boolean;
  host: string;
  port: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'json' | 'pretty';
  shutdownGraceMs: number;
  healthDbTimeoutMs: number;
  bodyLimitBytes: number;
  /** Allowed CORS origins; empty means no cross-origin browser access, ['*'] any origin. */
  corsOrigins: string[];
  /** Requests per window and client; 0 turns rate limiting off. */
  rateLimit: { max: number; windowMs: number };
  /** Which proxies' X-Forwarded-For names the client (for rate limiting); off by default. */
  trustProxy: TrustProxy;
  /** Import data/samples into an empty database on start (development default). */
  loadSampleData: boolean;
}

export interface SecuritySettings {
  secretKey: string;
  jwtSecretKey: string;
  /** Admin tokens must carry exp and iat, and live at most this long. */
  jwtMaxAgeSeconds: number;
}

export interface Configuration {
  app: AppSettings;
  database: DatabaseSettings;
  security: SecuritySettings;
  /** Things worth one warning line at start-up (e.g. the development SQLite fallback). */
  warnings: string[];
}

/**
 * Builds the whole validated configuration from the environment and the active environment's YAML file.
 * Throws ConfigValidationError listing every problem at once.
 */
export function loadConfiguration(env: NodeJS.ProcessEnv = process.env): Configuration {
  const { environment, raw, problems } = readSettings(env);
  const isProduction = environment === 'production';
  const testMode = raw.TEST_MODE === true || environment === 'test';
  const warnings: string[] = [];
  const database = resolveDatabase(raw, environment, testMode, problems, warnings);

  if (isProduction && String(raw.CORS_ORIGINS).split(',').some((origin: string) => origin.trim() === '*')) {
    problems.push('CORS_ORIGINS=* is not allowed in production; list the allowed origins');
  }
  // Log shippers read one JSON object per line; pretty output is for a developer's terminal.
  if (isProduction && raw.LOG_FORMAT === 'pretty') problems.push('LOG_FORMAT=pretty is not allowed in production; production logs are JSON lines');
  if (isProduction) {
    problems.push(
      ...findProductionProblems({
        ...productionDatabaseFacts(raw, database),
        secrets: { SECRET_KEY: raw.SECRET_KEY, JWT_SECRET_KEY: raw.JWT_SECRET_KEY },
      }),
    );
  } else if (environment === 'staging') {
    for (const name of ['SECRET_KEY', 'JWT_SECRET_KEY'] as const) {
      if (!raw[name]) problems.push(`${name} is required in staging`);
    }
  }
  if (problems.length > 0 || !database) throw new ConfigValidationError(problems);

  return {
    app: {
      environment,
      isProduction,
      testMode,
      host: raw.HOST,
      port: raw.PORT,
      logLevel: raw.LOG_LEVEL,
      logFormat: raw.LOG_FORMAT ?? (isProduction || environment === 'staging' ? 'json' : 'pretty'),
      shutdownGraceMs: raw.SHUTDOWN_GRACE_MS,
      healthDbTimeoutMs: raw.HEALTH_DB_TIMEOUT_MS,
      bodyLimitBytes: raw.BODY_LIMIT_BYTES,
      corsOrigins: String(raw.CORS_ORIGINS)
        .split(',')
        .map((origin: string) => origin.trim())
        .filter(Boolean),
      rateLimit: { max: raw.RATE_LIMIT_MAX, windowMs: raw.RATE_LIMIT_WINDOW_MS },
      trustProxy: raw.TRUST_PROXY,
      loadSampleData: raw.SAMPLE_DATA_AUTOLOAD ?? (environment === 'development' && !testMode),
    },
    database,
    security: {
      secretKey: raw.SECRET_KEY ?? DEVELOPMENT_SECRET,
      jwtSecretKey: raw.JWT_SECRET_KEY ?? raw.SECRET_KEY ?? DEVELOPMENT_SECRET,
      jwtMaxAgeSeconds: raw.JWT_MAX_AGE_SECONDS,
    },
    warnings,
  };
}

/**
 * Only the database settings, with the production guards that concern the database: what the migration and import
 * commands need (they never read secrets, so they must not demand them).
 */
export function loadDatabaseConfiguration(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const { environment, raw, problems } = readSettings(env);
  const testMode = raw.TEST_MODE === true || environment === 'test';
  const database = resolveDatabase(raw, environment, testMode, problems, []);
  if (environment === 'production') problems.push(...findProductionDatabaseProblems(productionDatabaseFacts(raw, database)));
  if (problems.length > 0 || !database) throw new ConfigValidationError(problems);
  return database;
}

/** The environment's YAML file and the environment variables, merged and checked against the schema. */
function readSettings(env: NodeJS.ProcessEnv): { environment: Environment; raw: Record<string, any>; problems: string[] } {
  const { environment, problems } = resolveEnvironment(env);
  if (!environment) throw new ConfigValidationError(problems);

  const yaml = loadYamlSettings(environment, env);
  problems.push(...yaml.problems);
  const merged: Record<string, string | undefined> = { ...yaml.settings };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  delete merged.NODE_ENV;
  delete merged.ENVIRONMENT;

  const { value: raw, error } = envSchema.validate(merged, {
    abortEarly: false,
    allowUnknown: true,
    stripUnknown: true,
    errors: { wrap: { label: false } },
  });
  if (error) problems.push(...error.details.map((detail) => detail.message));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return { environment, raw, problems };
}

function productionDatabaseFacts(raw: Record<string, any>, database: DatabaseSettings | undefined) {
  return {
    databaseTarget: database?.target,
    databaseUrlGiven: Boolean(raw.DATABASE_URL || raw.DB_HOST || raw.DB_NAME),
    testMode: raw.TEST_MODE === true,
  };
}

function resolveDatabase(
  raw: Record<string, any>,
  environment: Environment,
  testMode: boolean,
  problems: string[],
  warnings: string[],
): DatabaseSettings | undefined {
  let origin: string;
  let target: DatabaseTarget | undefined;
  const parse = (url: string, variable: string) => {
    try {
      return parseDatabaseUrl(url, variable);
    } catch (error) {
      if (error instanceof DatabaseUrlError) problems.push(error.message);
      else throw error;
      return undefined;
    }
  };

  if (testMode) {
    // Test mode never reads DATABASE_URL: a test run must not reach a real database by accident.
    if (raw.TEST_DATABASE_URL) {
      origin = `TEST_DATABASE_URL (${redactDatabaseUrl(raw.TEST_DATABASE_URL)})`;
      target = parse(raw.TEST_DATABASE_URL, 'TEST_DATABASE_URL');
      if (target?.type === 'postgres' && !/test/i.test(target.database)) {
        problems.push(
          `TEST_DATABASE_URL names database "${target.database}"; a test database's name must contain "test"`,
        );
      }
    } else {
      origin = 'in-memory SQLite (TEST_MODE)';
      target = { type: 'sqlite', path: ':memory:' };
    }
  } else if (raw.DATABASE_URL) {
    origin = `DATABASE_URL (${redactDatabaseUrl(raw.DATABASE_URL)})`;
    target = parse(raw.DATABASE_URL, 'DATABASE_URL');
  } else if (raw.DB_HOST || raw.DB_NAME) {
    origin = 'DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME';
    const user = raw.DB_USER ?? raw.DB_USERNAME;
    if (!raw.DB_HOST) problems.push('DB_NAME is set but DB_HOST is not; set both, or DATABASE_URL');
    if (!raw.DB_NAME) problems.push('DB_HOST is set but DB_NAME is not; set both, or DATABASE_URL');
    if (raw.DB_HOST && raw.DB_NAME) {
      target = parse(
        buildPostgresUrl({ host: raw.DB_HOST, port: raw.DB_PORT, user, password: raw.DB_PASSWORD, name: raw.DB_NAME }),
        'DB_HOST/DB_NAME',
      );
    }
  } else if (environment === 'development') {
    origin = `development default SQLite file ${DEVELOPMENT_SQLITE_PATH}`;
    target = { type: 'sqlite', path: DEVELOPMENT_SQLITE_PATH };
    warnings.push(
      `No DATABASE_URL set: using the development SQLite file ${DEVELOPMENT_SQLITE_PATH}. Set DATABASE_URL for PostgreSQL.`,
    );
  } else {
    if (environment !== 'production') {
      problems.push(`DATABASE_URL is required in ${environment} (or DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME)`);
    }
    return undefined;
  }
  if (!target) return undefined;
  const { DB_QUERY_TIMEOUT_MS: queryTimeout, DB_STATEMENT_TIMEOUT_MS: statementTimeout } = raw;
  if (queryTimeout > 0 && statementTimeout > 0 && queryTimeout <= statementTimeout) {
    problems.push(
      `DB_QUERY_TIMEOUT_MS (${queryTimeout}) must be above DB_STATEMENT_TIMEOUT_MS (${statementTimeout}): the server cancels a slow statement first`,
    );
  }
  return {
    target,
    origin,
    runMigrationsOnStart: raw.DB_RUN_MIGRATIONS ?? (environment === 'development' || testMode),
    pool: {
      size: raw.DB_POOL_SIZE,
      connectTimeoutMs: raw.DB_CONNECT_TIMEOUT_MS,
      idleTimeoutMs: raw.DB_IDLE_TIMEOUT_MS,
      statementTimeoutMs: raw.DB_STATEMENT_TIMEOUT_MS,
      queryTimeoutMs: raw.DB_QUERY_TIMEOUT_MS ?? defaultQueryTimeoutMs(raw.DB_STATEMENT_TIMEOUT_MS),
      // A request waits at most about the connect timeout for a connection, then as long again for its answer.
      readTimeoutMs: raw.DB_READ_TIMEOUT_MS ?? raw.DB_CONNECT_TIMEOUT_MS,
    },
    sqlite: { busyTimeoutMs: raw.SQLITE_BUSY_TIMEOUT_MS },
  };
}

/**
 * The client-side query timeout: a little above the server's statement timeout, so a slow statement is cancelled
 * cleanly by the server first and the client timeout only catches a database that stopped answering altogether.
 */
function defaultQueryTimeoutMs(statementTimeoutMs: number): number {
  return statementTimeoutMs > 0 ? statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS : 0;
}
