import { EnablePgTrgm1764000000000 } from './1764000000000-EnablePgTrgm';
import { CreateRecalls1764000000001 } from './1764000000001-CreateRecalls';
import { LighterImportWrites1764000000002 } from './1764000000002-LighterImportWrites';
import { YearTokensInWords1764000000003 } from './1764000000003-YearTokensInWords';
import { NameWords1764000000004 } from './1764000000004-NameWords';
import { WordMatchesFunction1764000000005 } from './1764000000005-WordMatchesFunction';
import { NameMatchesFunction1764000000006 } from './1764000000006-NameMatchesFunction';

/** The migration chain, in order; the same chain runs on PostgreSQL and SQLite. */
export const MIGRATIONS = [EnablePgTrgm1764000000000, CreateRecalls1764000000001, LighterImportWrites1764000000002, YearTokensInWords1764000000003,
  NameWords1764000000004,
  WordMatchesFunction1764000000005,
  NameMatchesFunction1764000000006,
];
