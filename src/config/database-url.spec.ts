import { buildPostgresUrl, DatabaseUrlError, parseDatabaseUrl, redactDatabaseUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it.each([
    'postgresql://app:pw@db.example.com:5433/babyshield',
    'postgres://app:pw@db.example.com:5433/babyshield',
    'postgresql+psycopg://app:pw@db.example.com:5433/babyshield',
    'postgresql+psycopg2://app:pw@db.example.com:5433/babyshield',
  ])('accepts the PostgreSQL spelling %s', (url) => {
    expect(parseDatabaseUrl(url)).toEqual({
      type: 'postgres',
      host: 'db.example.com',
      port: 5433,
      username: 'app',
      password: 'pw',
      database: 'babyshield',
      ssl: false,
    });
  });

  it('defaults the port to 5432 and allows a URL without credentials', () => {
    expect(parseDatabaseUrl('postgresql://localhost/babyshield')).toMatchObject({ host: 'localhost', port: 5432, username: undefined });
  });

  it('decodes percent-encoded passwords with special characters', () => {
    const url = `postgresql://app:${encodeURIComponent('p@ss:w/rd#?%')}@db:5432/babyshield`;
    expect(parseDatabaseUrl(url)).toMatchObject({ username: 'app', password: 'p@ss:w/rd#?%' });
  });

  it('accepts an unencoded "@" in the password, as the original service did', () => {
    expect(parseDatabaseUrl('postgresql://app:p@ss@db:5432/babyshield')).toMatchObject({ password: 'p@ss', host: 'db' });
  });

  it('turns TLS on for sslmode=require (no CA check) and verify-full (CA check)', () => {
    expect(parseDatabaseUrl('postgresql://a:b@h/d?sslmode=require')).toMatchObject({ ssl: { rejectUnauthorized: false } });
    expect(parseDatabaseUrl('postgresql://a:b@h/d?sslmode=verify-full')).toMatchObject({ ssl: { rejectUnauthorized: true } });
    expect(parseDatabaseUrl('postgresql://a:b@h/d?sslmode=disable')).toMatchObject({ ssl: false });
  });

  it.each([
    ['sqlite:///./relative.db', './relative.db'],
    ['sqlite:///data/app.db', 'data/app.db'],
    ['sqlite:////var/lib/babyshield/app.db', '/var/lib/babyshield/app.db'],
    ['sqlite:///:memory:', ':memory:'],
  ])('reads %s as the SQLite file %s', (url, path) => {
    expect(parseDatabaseUrl(url)).toEqual({ type: 'sqlite', path });
  });

  it.each([
    ['not a url', /not a database URL/],
    ['mysql://u:p@h/d', /unsupported scheme "mysql"/],
    ['postgresql://u:secretpw@h:99999/d', /invalid port/],
    ['postgresql://u:secretpw@h:5432', /names no database/],
    ['postgresql://u:secretpw@:5432/d', /names no host/],
    ['postgresql://u:secretpw@h/d?sslmode=bogus', /unknown sslmode/],
    ['sqlite://relative.db', /three slashes/],
  ])('rejects %s with a message that names the variable and hides the password', (url, message) => {
    let caught: unknown;
    try {
      parseDatabaseUrl(url, 'DATABASE_URL');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DatabaseUrlError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toMatch(/DATABASE_URL/);
    expect((caught as Error).message).not.toContain('secretpw');
  });
});

describe('redactDatabaseUrl', () => {
  it('hides the password', () => {
    expect(redactDatabaseUrl('postgresql://app:hunter2@db:5432/x')).toBe('postgresql://app:***@db:5432/x');
  });

  it.each([
    ['an unencoded "@"', 'postgresql://postgres:p@2secret@127.0.0.1:5432/babyshield', 'postgresql://postgres:***@127.0.0.1:5432/babyshield'],
    ['two unencoded "@"', 'postgres://app:a@b@2secret@db/x', 'postgres://app:***@db/x'],
    ['an unencoded "/"', 'postgresql://app:pa/2secret@db:5432/x', 'postgresql://app:***@db:5432/x'],
    ['an unencoded "?" and "#"', 'postgresql://app:pa?2se#cret@db/x?sslmode=require', 'postgresql://app:***@db/x?sslmode=require'],
    ['an unencoded ":"', 'postgresql://app:pa:2secret@db/x', 'postgresql://app:***@db/x'],
  ])('hides a password with %s up to the last "@"', (_case, url, redacted) => {
    expect(redactDatabaseUrl(url)).toBe(redacted);
  });

  it('leaves a URL without a password as it is', () => {
    expect(redactDatabaseUrl('postgresql://postgres@127.0.0.1:5432/babyshield_test')).toBe('postgresql://postgres@127.0.0.1:5432/babyshield_test');
    expect(redactDatabaseUrl('sqlite:///./data/babyshield_dev.db')).toBe('sqlite:///./data/babyshield_dev.db');
  });
});

describe('parseDatabaseUrl with unencoded special characters in the password', () => {
  it.each(['p@2secret', 'pa/2secret', 'pa?2secret', 'pa#2secret', 'p@a?/2secret'])('reads the password %s whole', (password) => {
    expect(parseDatabaseUrl(`postgresql://app:${password}@db:6432/babyshield?sslmode=require`)).toMatchObject({
      username: 'app',
      password,
      host: 'db',
      port: 6432,
      database: 'babyshield',
      ssl: { rejectUnauthorized: false },
    });
  });

  it('never quotes a piece of such a password in an error', () => {
    for (const url of ['postgresql://app:2secret?x@db:port/x', 'postgresql://app:2secret?x@db:5432']) {
      expect(() => parseDatabaseUrl(url)).toThrow(DatabaseUrlError);
      expect(() => parseDatabaseUrl(url)).not.toThrow(/2secret/);
    }
  });
});

describe('buildPostgresUrl', () => {
  it('round-trips separate settings with special characters through the parser', () => {
    const url = buildPostgresUrl({ host: 'db', port: 6432, user: 'app user', password: 'p@ss/w:rd', name: 'babyshield' });
    expect(parseDatabaseUrl(url)).toMatchObject({ host: 'db', port: 6432, username: 'app user', password: 'p@ss/w:rd', database: 'babyshield' });
  });
});
