export type DatabaseTarget =
  | {
      type: 'postgres';
      host: string;
      port: number;
      username?: string;
      password?: string;
      database: string;
      ssl: false | { rejectUnauthorized: boolean };
    }
  | { type: 'sqlite'; path: string };

const POSTGRES_SCHEMES = new Set(['postgresql', 'postgres', 'postgresql+psycopg', 'postgresql+psycopg2', 'postgresql+asyncpg']);
const SSL_MODES: Record<string, false | { rejectUnauthorized: boolean }> = {
  disable: false,
  allow: false,
  prefer: false,
  require: { rejectUnauthorized: false },
  'verify-ca': { rejectUnauthorized: true },
  'verify-full': { rejectUnauthorized: true },
};

export class DatabaseUrlError extends Error {}

/**
 * Hides the password of a database URL so it can appear in messages: everything from the user name's ":" to the
 * last "@", since an unencoded password may itself hold "@", "/", "?" or "#".
 */
export function redactDatabaseUrl(url: string): string {
  const scheme = /^[a-z0-9+.-]+:\/\//i.exec(url);
  if (!scheme) return url;
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  if (at === -1 || colon === -1 || colon > at) return url;
  return `${scheme[0]}${rest.slice(0, colon)}:***@${rest.slice(at + 1)}`;
}

/**
 * Parses the URL spellings the original service accepted (including SQLAlchemy's driver suffixes)
 * into connection settings. Error messages never contain the password.
 */
export function parseDatabaseUrl(url: string, variable = 'DATABASE_URL'): DatabaseTarget {
  const trimmed = url.trim();
  const schemeMatch = /^([a-z0-9+]+):\/\//i.exec(trimmed);
  if (!schemeMatch) {
    throw new DatabaseUrlError(`${variable} is not a database URL (expected postgresql://... or sqlite:///...)`);
  }
  const scheme = schemeMatch[1].toLowerCase();
  if (scheme === 'sqlite' || scheme === 'sqlite+pysqlite') return parseSqliteUrl(trimmed, scheme, variable);
  if (!POSTGRES_SCHEMES.has(scheme)) {
    throw new DatabaseUrlError(`${variable} uses an unsupported scheme "${scheme}" (use postgresql:// or sqlite:///)`);
  }
  return parsePostgresUrl(trimmed.slice(scheme.length + 3), variable);
}

function parseSqliteUrl(url: string, scheme: string, variable: string): DatabaseTarget {
  // sqlite:///relative.db, sqlite:////absolute.db, sqlite:///:memory: (SQLAlchemy's forms)
  const rest = url.slice(scheme.length + 3);
  if (!rest.startsWith('/')) {
    throw new DatabaseUrlError(`${variable}: a sqlite URL needs three slashes (sqlite:///./file.db or sqlite:////abs/path.db)`);
  }
  const path = rest.slice(1).split('?')[0];
  if (path === '') throw new DatabaseUrlError(`${variable}: the sqlite URL names no file`);
  return { type: 'sqlite', path: decodeURIComponent(path) };
}

function parsePostgresUrl(rest: string, variable: string): DatabaseTarget {
  // The last "@" separates credentials from the host, so an unencoded "@", "/", "?" or "#" in a password still works
  // (as in redactDatabaseUrl); the query starts after it.
  const lastAt = rest.lastIndexOf('@');
  const queryStart = rest.indexOf('?', lastAt + 1);
  const [beforeQuery, query] = queryStart === -1 ? [rest, ''] : [rest.slice(0, queryStart), rest.slice(queryStart + 1)];
  const slash = beforeQuery.indexOf('/', lastAt + 1);
  const authority = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash);
  const database = slash === -1 ? '' : beforeQuery.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  const credentials = at === -1 ? '' : authority.slice(0, at);
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  const [rawUser, rawPassword] = credentials === '' ? [undefined, undefined] : splitOnce(credentials, ':');

  const hostMatch = /^(\[[^\]]+\]|[^:]*)(?::(.*))?$/.exec(hostPort);
  const host = hostMatch?.[1] ?? '';
  const portText = hostMatch?.[2];
  if (host === '') throw new DatabaseUrlError(`${variable} names no host`);
  let port = 5432;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      throw new DatabaseUrlError(`${variable} has an invalid port "${portText}"`);
    }
  }
  if (database === '' || database.includes('/')) throw new DatabaseUrlError(`${variable} names no database (…/dbname)`);

  const params = new URLSearchParams(query);
  const sslmode = (params.get('sslmode') ?? 'disable').toLowerCase();
  if (!(sslmode in SSL_MODES)) {
    throw new DatabaseUrlError(`${variable} has an unknown sslmode "${sslmode}" (use disable, require, verify-ca or verify-full)`);
  }
  return {
    type: 'postgres',
    host: host.replace(/^\[|\]$/g, ''),
    port,
    username: rawUser === undefined ? undefined : safeDecode(rawUser, variable, 'user name'),
    password: rawPassword === undefined ? undefined : safeDecode(rawPassword, variable, 'password'),
    database: safeDecode(database, variable, 'database name'),
    ssl: SSL_MODES[sslmode],
  };
}

/** Builds a PostgreSQL URL from separate DB_* settings, encoding what needs it. */
export function buildPostgresUrl(parts: { host: string; port?: number; user?: string; password?: string; name: string }): string {
  const auth = parts.user
    ? `${encodeURIComponent(parts.user)}${parts.password ? `:${encodeURIComponent(parts.password)}` : ''}@`
    : '';
  return `postgresql://${auth}${parts.host}:${parts.port ?? 5432}/${encodeURIComponent(parts.name)}`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

function safeDecode(text: string, variable: string, part: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new DatabaseUrlError(`${variable} has a badly percent-encoded ${part}`);
  }
}
