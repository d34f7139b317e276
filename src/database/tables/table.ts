import type { SqlType } from '../sql/sql-dialect';

/**
 * A column: its type as PostgreSQL names it (SQLite's migration spells some differently, values bind the same),
 * and, as phantom types, the TypeScript value written to it (bound) and read from it (what the drivers return).
 */
export interface Column<Written, Read = Written> {
  readonly type: SqlType;
  /** Phantom: never set. */
  readonly written?: Written;
  /** Phantom: never set. */
  readonly read?: Read;
}

export interface Table<Columns extends Record<string, Column<unknown, unknown>>> {
  readonly name: string;
  readonly columns: Columns;
}

type AnyTable = Table<Record<string, Column<unknown, unknown>>>;
export type ColumnName<T extends AnyTable> = keyof T['columns'] & string;

/** A row as bound when written: column name -> value. */
export type RowOf<T extends AnyTable, K extends ColumnName<T> = ColumnName<T>> = {
  [C in K]: T['columns'][C] extends Column<infer Written, unknown> ? Written : never;
};

/** A row as read back (both drivers; PostgreSQL parses JSON and timestamps, SQLite returns their text). */
export type StoredRowOf<T extends AnyTable, K extends ColumnName<T> = ColumnName<T>> = {
  [C in K]: T['columns'][C] extends Column<unknown, infer Read> ? Read : never;
};

export function table<Columns extends Record<string, Column<unknown, unknown>>>(name: string, columns: Columns): Table<Columns> {
  return { name, columns };
}

const column = <Written, Read = Written>(type: SqlType): Column<Written, Read> => ({ type });

export const integer = () => column<number>('integer');
export const smallint = () => column<number>('smallint');
export const text = <T extends string = string>() => column<T>('text');
/** A calendar date, YYYY-MM-DD both ways (the PostgreSQL connection keeps dates as text). */
export const date = () => column<string>('date');
/** Written as ISO 8601 text; PostgreSQL returns a Date, SQLite the text. */
export const timestamptz = () => column<string, string | Date>('timestamptz');
/** Written as JSON text; PostgreSQL returns the parsed value, SQLite the text. */
export const json = <T>(type: 'json' | 'jsonb' = 'json') => column<string, string | T>(type);
export const tsvector = () => column<never, string>('tsvector');

export function nullable<Written, Read>(of: Column<Written, Read>): Column<Written | null, Read | null> {
  return of;
}

/** Column names, each prefixed with a table alias when one is given: "r.id, r.recall_id". */
export function columnList(columns: readonly string[], alias?: string): string {
  return columns.map((name) => (alias ? `${alias}.${name}` : name)).join(', ');
}
