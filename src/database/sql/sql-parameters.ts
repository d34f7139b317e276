import type { DialectName } from './sql-dialect';

/** Collects positional parameters in the dialect's placeholder style ($1 or ?); add() returns the placeholder. */
export class SqlParameters {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: DialectName) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }
}
