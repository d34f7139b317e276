import { EnablePgTrgm1764000000000 } from './1764000000000-EnablePgTrgm';

/** The migration chain, in order; the same chain runs on PostgreSQL and SQLite. */
export const MIGRATIONS = [EnablePgTrgm1764000000000];
