/** Runs one SQL statement with positional parameters; readers need nothing else from a database. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, parameters: unknown[]): Promise<T[]>;
}
