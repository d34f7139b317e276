import { MIGRATIONS_TABLE } from '../data-source-options';
import { MIGRATIONS } from '../migrations';
import { LEGACY_REQUIRED_COLUMNS, LEGACY_TABLE } from './legacy-recall.mapper';
import { TransferDatabase } from './transfer-database';

/** What a database holds, as far as the transfer is concerned (the original service's table may sit beside ours). */
export interface DatabaseContents {
  /** Our migrations applied, when it has our tables. */
  ours?: string[];
  /** The columns of the original service's recalls_enhanced, when it has that table. */
  legacyColumns?: string[];
  /** Part of our schema without the rest: neither a database of ours nor an empty one. */
  problem?: string;
}

/** The migration names of this version, in order. */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map((Migration) => new Migration().name);

export async function describeContents(database: TransferDatabase): Promise<DatabaseContents> {
  const tables = await database.tableNames();
  const contents: DatabaseContents = {};
  if (tables.has(LEGACY_TABLE)) contents.legacyColumns = await database.columnNames(LEGACY_TABLE);
  if (tables.has(MIGRATIONS_TABLE) && tables.has('recalls')) {
    contents.ours = (await database.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)).map((row) => String(row.name));
  } else if (tables.has('recalls') || tables.has(MIGRATIONS_TABLE)) {
    const [present, absent] = tables.has('recalls') ? ['recalls', MIGRATIONS_TABLE] : [MIGRATIONS_TABLE, 'recalls'];
    contents.problem = `it has a ${present} table but no ${absent} table`;
  }
  return contents;
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
