import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of its path is a file, not a directory',
  EISDIR: 'it is a directory',
  ENOSPC: 'no space left on the device',
};

/**
 * Why the SQLite database file cannot be created or opened for writing, in one line for the operator
 * (undefined when it can). Creates the file's directory, as the first start does.
 */
export function sqliteFileProblem(path: string): string | undefined {
  const Database = loadSqliteDriver();
  if (!Database) {
    return 'the SQLite driver (better-sqlite3, an optional dependency) is not installed: run npm ci where a C++ toolchain is available (build-essential, python3), or set DATABASE_URL to PostgreSQL';
  }
  if (path === ':memory:') return undefined;
  const cannotOpen = (reason: string) =>
    `cannot open the SQLite database file ${path}: ${reason}. Set DATABASE_URL to a writable place (e.g. sqlite:///./babyshield.db) or fix the permissions`;
  const directory = dirname(path);
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    return cannotOpen(`its directory ${directory} cannot be created (${reasonOf(error)})`);
  }
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) return cannotOpen(REASONS.EISDIR);
  try {
    accessSync(directory, constants.W_OK); // SQLite writes its journal beside the file
  } catch (error) {
    return cannotOpen(`its directory ${directory} is not writable (${reasonOf(error)})`);
  }
  try {
    const database = new Database(path);
    try {
      // Opening is lazy: touching the schema makes SQLite actually read (and create) the file.
      database.pragma('schema_version');
      if (database.readonly) return cannotOpen('it is read-only');
    } finally {
      database.close();
    }
  } catch (error) {
    return cannotOpen(reasonOf(error));
  }
  return undefined;
}

/**
 * better-sqlite3 is an optional dependency, loaded only when SQLite is used: the production image (PostgreSQL only)
 * is installed without it, and without the compiler its build needs.
 */
function loadSqliteDriver(): typeof BetterSqlite3 | undefined {
  try {
    return require('better-sqlite3') as typeof BetterSqlite3;
  } catch (error) {
    if ((error as { code?: unknown })?.code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return (typeof code === 'string' && REASONS[code]) || (error as Error)?.message || String(error);
}
