import { DatabaseTarget } from './database-url';

/** Secret values that must never reach production: framework defaults and the ones in .env.example. */
export const PLACEHOLDER_SECRETS: readonly string[] = [
  'dev-secret-key',
  'dev-jwt-secret-key',
  'changeme',
  'change-me',
  'secret',
  'secret-key',
  'jwt-secret',
  'your-secret-key',
  'your-secret-key-here',
  'your-jwt-secret-key',
  'supersecret',
  'password',
  'development-only-secret-key-not-for-production',
  'replace-with-64-random-hex-characters-for-secret-key',
  'replace-with-64-random-hex-characters-for-jwt-signing',
];
const PLACEHOLDER_WORDS = /change-?me|replace-with|your-secret|placeholder|not-for-production|example/i;
export const MIN_SECRET_LENGTH = 32;

export interface ProductionFacts {
  databaseTarget?: DatabaseTarget;
  /** A database setting was given (a malformed one is reported by the URL parser, not again here). */
  databaseUrlGiven?: boolean;
  testMode: boolean;
  secrets: Record<'SECRET_KEY' | 'JWT_SECRET_KEY', string | undefined>;
}

/** Lists why these settings are unsafe for production; empty when they are safe. */
export function findProductionProblems(facts: ProductionFacts): string[] {
  const problems = findProductionDatabaseProblems(facts);
  for (const [name, value] of Object.entries(facts.secrets)) {
    const problem = secretProblem(value);
    if (problem) problems.push(`${name} ${problem}`);
  }
  return problems;
}

/** The part of the production guard that concerns the database (all the migration commands need). */
export function findProductionDatabaseProblems(facts: Omit<ProductionFacts, 'secrets'>): string[] {
  const problems: string[] = [];
  if (facts.testMode) problems.push('TEST_MODE=true is not allowed in production');
  if (!facts.databaseTarget && !facts.databaseUrlGiven) {
    problems.push('DATABASE_URL is required in production (postgresql://user:password@host:5432/dbname)');
  } else if (facts.databaseTarget?.type === 'sqlite') {
    problems.push('DATABASE_URL points at SQLite; production needs PostgreSQL (postgresql://...)');
  }
  return problems;
}

function secretProblem(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return 'is required in production';
  if (PLACEHOLDER_SECRETS.includes(value.trim().toLowerCase()) || PLACEHOLDER_WORDS.test(value)) {
    return 'is a known placeholder value; generate one with: openssl rand -hex 32';
  }
  if (value.length < MIN_SECRET_LENGTH) return `must be at least ${MIN_SECRET_LENGTH} characters (got ${value.length})`;
  return undefined;
}
