import type { DataSource, DataSourceOptions } from 'typeorm';
import { SqlParameters } from './sql-parameters';

export type DialectName = 'postgres' | 'sqlite';

/** Column types as PostgreSQL names them; SQLite stores what it is given (dates and JSON as text). */
export type SqlType = 'integer' | 'smallint' | 'text' | 'date' | 'timestamptz' | 'json' | 'jsonb' | 'tsvector';

/**
 * What differs between PostgreSQL and SQLite in plain statements: placeholders, lists of values, casts of bound
 * text. Decided once per DataSource (sqlDialectOf) and handed to the writers, readers and the transfer; what
 * differs beyond this (candidate search, bulk writes) is a strategy per database built on it.
 */
export interface SqlDialect {
  readonly name: DialectName;
  /** A new parameter list in this dialect's placeholder style. */
  parameters(): SqlParameters;
  /** `column IN (values)`, as one array parameter on PostgreSQL (one plan whatever the count). */
  inList(column: string, values: readonly unknown[], parameters: SqlParameters): string;
  /** A bound text value as a column of `type`: PostgreSQL casts dates, timestamps and JSON; SQLite stores text. */
  cast(placeholder: string, type: SqlType): string;
}

const POSTGRES_CASTS: ReadonlySet<SqlType> = new Set(['date', 'timestamptz', 'json', 'jsonb']);

export const POSTGRES_DIALECT: SqlDialect = {
  name: 'postgres',
  parameters: () => new SqlParameters('postgres'),
  inList: (column, values, parameters) => `${column} = ANY(${parameters.add(values)})`,
  cast: (placeholder, type) => (POSTGRES_CASTS.has(type) ? `${placeholder}::${type}` : placeholder),
};

export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  parameters: () => new SqlParameters('sqlite'),
  inList: (column, values, parameters) => `${column} IN (${values.map((value) => parameters.add(value)).join(', ')})`,
  cast: (placeholder) => placeholder,
};

export function sqlDialectNamed(name: DialectName): SqlDialect {
  return name === 'postgres' ? POSTGRES_DIALECT : SQLITE_DIALECT;
}

/** The one place that works out which database a DataSource (or its options) speaks. */
export function sqlDialectOf(source: DataSource | Pick<DataSourceOptions, 'type'>): SqlDialect {
  const type = 'options' in source ? source.options.type : source.type;
  return type === 'postgres' ? POSTGRES_DIALECT : SQLITE_DIALECT;
}

/** Nest token of the app's SqlDialect (DatabaseModule provides it from the DataSource). */
export const SQL_DIALECT = Symbol('SQL_DIALECT');
