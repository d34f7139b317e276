import Joi from 'joi';
import { ENVIRONMENTS } from './environment';
import { parseTrustProxy } from './trust-proxy';

const boolean = () => Joi.boolean().truthy('1', 'yes', 'on').falsy('0', 'no', 'off', '');
const milliseconds = (fallback: number) => Joi.number().integer().min(0).max(3_600_000).default(fallback);

/** Every setting the service reads. YAML files and environment variables are validated against it together. */
export const envSchema = Joi.object({
  NODE_ENV: Joi.string().valid(...ENVIRONMENTS, 'dev', 'prod', 'stage', 'testing'),
  ENVIRONMENT: Joi.string().valid(...ENVIRONMENTS, 'dev', 'prod', 'stage', 'testing'),

  HOST: Joi.string().hostname().default('0.0.0.0'),
  PORT: Joi.number().port().default(8001),
  LOG_LEVEL: Joi.string().valid('debug', 'info', 'warn', 'error').default('info'),
  LOG_FORMAT: Joi.string().valid('json', 'pretty'),
  SHUTDOWN_GRACE_MS: milliseconds(5000),
  HEALTH_DB_TIMEOUT_MS: Joi.number().integer().min(100).max(60_000).default(1500),

  DATABASE_URL: Joi.string().trim(),
  DB_HOST: Joi.string().trim(),
  DB_PORT: Joi.number().port(),
  DB_USER: Joi.string().trim(),
  DB_USERNAME: Joi.string().trim(),
  DB_PASSWORD: Joi.string().allow(''),
  DB_NAME: Joi.string().trim(),
  DB_POOL_SIZE: Joi.number().integer().min(1).max(500).default(10),
  DB_CONNECT_TIMEOUT_MS: Joi.number().integer().min(100).max(120_000).default(5000),
  DB_IDLE_TIMEOUT_MS: milliseconds(30_000),
  DB_STATEMENT_TIMEOUT_MS: milliseconds(15_000),
  DB_QUERY_TIMEOUT_MS: Joi.number().integer().min(0).max(3_600_000),
  DB_READ_TIMEOUT_MS: Joi.number().integer().min(0).max(3_600_000),
  DB_RUN_MIGRATIONS: boolean(),
  SQLITE_BUSY_TIMEOUT_MS: milliseconds(5000),

  TEST_MODE: boolean().default(false),
  TEST_DATABASE_URL: Joi.string().trim(),

  BODY_LIMIT_BYTES: Joi.number().integer().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  CORS_ORIGINS: Joi.string().allow('').default(''),
  RATE_LIMIT_MAX: Joi.number().integer().min(0).max(1_000_000).default(300),
  RATE_LIMIT_WINDOW_MS: Joi.number().integer().min(1000).max(3_600_000).default(60_000),
  TRUST_PROXY: Joi.string()
    .allow('')
    .default(false)
    .custom((value: string) => parseTrustProxy(value))
    .messages({ 'any.custom': '{{#error.message}}' }),
  SAMPLE_DATA_AUTOLOAD: boolean(),

  SECRET_KEY: Joi.string(),
  JWT_SECRET_KEY: Joi.string(),
  JWT_MAX_AGE_SECONDS: Joi.number().integer().min(60).max(86_400).default(3600),
})
  .messages({
    'any.only': '{{#label}} must be one of {{#valids}}',
    'number.base': '{{#label}} must be a number',
    'number.port': '{{#label}} must be a TCP port (1-65535)',
    'boolean.base': '{{#label}} must be true or false',
  });

export const KNOWN_SETTINGS: ReadonlySet<string> = new Set(Object.keys(envSchema.describe().keys ?? {}));
