import { MIGRATIONS_TABLE } from '../data-source-options';
import { MIGRATIONS } from '../migrations';
import { LEGACY_REQUIRED_COLUMNS, LEGACY_TABLE } from './legacy-recall.mapper';
import { TransferDatabase } from './transfer-database';

/** What a database holds, as far as the transfer is concerned. */
export type DatabaseContents =
  | { kind: 'ours'; applied: string[] }
  | { kind: 'legacy'; columns: string[] }
  /** Neither our recalls nor our migrations: a target the transfer migrates first. */
  | { kind: 'empty' }
  | { kind: 'unknown'; problem: string };

/** The migration names of this version, in order. */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map((Migration) => new Migration().name);

export async function describeContents(database: TransferDatabase): Promise<DatabaseContents> {
  const tables = await database.tableNames();
  if (tables.has(MIGRATIONS_TABLE) && tables.has('recalls')) {
    const applied = (await database.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)).map((row) => String(row.name));
    return { kind: 'ours', applied };
  }
  if (tables.has(LEGACY_TABLE)) return { kind: 'legacy', columns: await database.columnNames(LEGACY_TABLE) };
  if (tables.has('recalls') || tables.has(MIGRATIONS_TABLE)) {
    return { kind: 'unknown', problem: `it has a ${tables.has('recalls') ? 'recalls' : MIGRATIONS_TABLE} table but no ${tables.has('recalls') ? MIGRATIONS_TABLE : 'recalls'} table` };
  }
  return { kind: 'empty' };
}

/** Why a database of ours is not on this version's migrations (undefined when it is), in one line. */
export function migrationVersionProblem(role: 'source' | 'target', name: string, applied: readonly string[]): string | undefined {
  const unknown = applied.filter((migration) => !MIGRATION_NAMES.includes(migration));
  if (unknown.length > 0) {
    return (
      `the ${role} ${name} was migrated by a newer version of this service (migrations this version does not have: ${unknown.join(', ')}); ` +
      'run the transfer with the version that migrated it'
    );
  }
  const pending = MIGRATION_NAMES.filter((migration) => !applied.includes(migration));
  if (pending.length > 0) {
    return (
      `the ${role} ${name} is behind this version's schema: ${pending.length} migration(s) pending (${pending.join(', ')}); ` +
      `apply them first: DATABASE_URL=<${role} url> npm run migration:run`
    );
  }
  return undefined;
}

/** The legacy columns a row cannot do without, when the table lacks some. */
export function missingLegacyColumns(columns: readonly string[]): string[] {
  return LEGACY_REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
}
