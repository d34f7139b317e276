import { EnablePgTrgm1764000000000 } from './1764000000000-EnablePgTrgm';
import { CreateRecalls1764000000001 } from './1764000000001-CreateRecalls';

/** The migration chain, in order; the same chain runs on PostgreSQL and SQLite. */
export const MIGRATIONS = [EnablePgTrgm1764000000000, CreateRecalls1764000000001];
