/**
 * A timestamp as a database driver returns it: a Date (PostgreSQL) or text (SQLite, which returns datetimes
 * without a zone; they are written as UTC).
 */
export function storedTimestamp(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
