import { freePort, spawnService } from './support/service-process';

describe('database passwords in the start-up log (a real process)', () => {
  jest.setTimeout(60_000);

  it.each([
    ['an unencoded "@"', 'p@2secret'],
    ['unencoded "/", "?" and "@"', 'a/b?c@2secret'],
  ])('never prints a password with %s, also when the database cannot be reached', async (_case, password) => {
    const databasePort = await freePort(); // nothing listens there
    const service = spawnService({
      NODE_ENV: 'development',
      PORT: String(await freePort()),
      DATABASE_URL: `postgresql://postgres:${password}@127.0.0.1:${databasePort}/babyshield`,
    });
    expect(await service.exited).toBe(1);
    const output = service.output();
    expect(output).toContain(`database: DATABASE_URL (postgresql://postgres:***@127.0.0.1:${databasePort}/babyshield)`);
    expect(output).not.toContain('2secret');
  });
});
