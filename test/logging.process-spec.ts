import { freePort, spawnService, waitForHttp } from './support/service-process';

describe('log output of the service (a real process)', () => {
  jest.setTimeout(90_000);

  it('writes JSON lines, without colours, when stdout is not a terminal, even with LOG_FORMAT=pretty', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const service = spawnService({ TEST_MODE: 'true', LOG_FORMAT: 'pretty', LOG_LEVEL: 'info', PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_GRACE_MS: '0' });
    try {
      await waitForHttp(`${base}/health/live`, 60_000);
      await fetch(`${base}/api/v1/agencies`, { headers: { 'x-request-id': 'process-log-line' } });
    } finally {
      service.child.kill('SIGTERM');
    }
    expect(await service.exited).toBe(0);
    const lines = service.output().trimEnd().split('\n');
    expect(service.output()).not.toContain('\u001b[');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries) expect(entry).toMatchObject({ level: expect.any(String), time: expect.any(String), message: expect.any(String) });
    expect(entries).toContainEqual(expect.objectContaining({ traceId: 'process-log-line', level: 'info', statusCode: 200, url: '/api/v1/agencies' }));
    expect(entries).toContainEqual(expect.objectContaining({ context: 'Shutdown', message: 'HTTP server and database pool closed' }));
  });
});
