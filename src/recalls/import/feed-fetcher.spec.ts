import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { feedUrlForDisplay, fetchFeed, FeedFetchError } from './feed-fetcher';

/** A stub feed server on loopback: each test scripts its answers. */
function stubServer(handler: (request: IncomingMessage, response: ServerResponse, hit: number) => void) {
  let hits = 0;
  const server: Server = createServer((request, response) => handler(request, response, ++hits));
  return new Promise<{ url: string; hits: () => number; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}/feed.json`,
        hits: () => hits,
        close: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

/** Runs `test` against a stub server, closed afterwards whatever happens. */
async function withStubServer(
  handler: (request: IncomingMessage, response: ServerResponse, hit: number) => void,
  test: (server: Awaited<ReturnType<typeof stubServer>>) => Promise<void>,
): Promise<void> {
  const server = await stubServer(handler);
  try {
    await test(server);
  } finally {
    await server.close();
  }
}

const FEED = JSON.stringify([{ RecallNumber: '19105' }]);

describe('fetchFeed', () => {
  it('downloads a feed to a temporary file', async () => {
    await withStubServer((_request, response) => response.end(FEED), async (server) => {
      const feed = await fetchFeed(server.url, { retries: 0 });
      expect(await readFile(feed.path, 'utf8')).toBe(FEED);
      expect(feed).toMatchObject({ bytes: FEED.length, attempts: 1 });
      await feed.dispose();
    });
  });

  it('retries a 503 and a dropped connection, then succeeds', async () => {
    await withStubServer((_request, response, hit) => {
      if (hit === 1) return void response.writeHead(503).end();
      if (hit === 2) return void response.socket?.destroy();
      response.end(FEED);
    }, async (server) => {
      const feed = await fetchFeed(server.url, { retries: 3, retryDelayMs: 10 });
      expect(feed.attempts).toBe(3);
      await feed.dispose();
    });
  });

  it('gives up after the retries, saying why', async () => {
    await withStubServer((_request, response) => response.writeHead(500).end(), async (server) => {
      await expect(fetchFeed(server.url, { retries: 2, retryDelayMs: 5 })).rejects.toThrow(/HTTP 500 \(after 3 attempts\)/);
      expect(server.hits()).toBe(3);
    });
  });

  it('does not retry a 404', async () => {
    await withStubServer((_request, response) => response.writeHead(404).end(), async (server) => {
      await expect(fetchFeed(server.url, { retries: 3, retryDelayMs: 5 })).rejects.toThrow(/HTTP 404 \(after 1 attempt\)/);
      expect(server.hits()).toBe(1);
    });
  });

  it('times out a server that stops sending', async () => {
    await withStubServer((_request, response) => {
      response.writeHead(200);
      response.write('[{"RecallNumber"');
    }, async (server) => {
      await expect(fetchFeed(server.url, { timeoutMs: 200, retries: 1, retryDelayMs: 5 })).rejects.toThrow(/timed out after 200 ms/);
      expect(server.hits()).toBe(2);
    });
  });

  it('stops a download over the size limit, declared or not', async () => {
    const big = 'x'.repeat(64 * 1024);
    const declared = await stubServer((_request, response) => response.writeHead(200, { 'content-length': String(big.length) }).end(big));
    const chunked = await stubServer((_request, response) => {
      response.writeHead(200);
      for (let i = 0; i < 8; i += 1) response.write(big);
      response.end();
    });
    try {
      await expect(fetchFeed(declared.url, { maxBytes: 1024, retries: 2 })).rejects.toThrow(/over the limit of 1024/);
      await expect(fetchFeed(chunked.url, { maxBytes: 100_000, retries: 2 })).rejects.toThrow(FeedFetchError);
      expect(declared.hits() + chunked.hits()).toBe(2); // never retried
    } finally {
      await declared.close();
      await chunked.close();
    }
  });

  it('never puts the password of a feed URL in its error', async () => {
    await withStubServer((_request, response) => response.end(FEED), async (server) => {
      const url = server.url.replace('http://', 'http://reader:p@2secret@');
      await expect(fetchFeed(url, { retries: 0 })).rejects.toThrow('http://reader:***@127.0.0.1');
      await expect(fetchFeed(url, { retries: 0 })).rejects.not.toThrow(/2secret/);
    });
    expect(feedUrlForDisplay('https://reader:p@2secret@feeds.example/recalls.json')).toBe('https://reader:***@feeds.example/recalls.json');
    expect(feedUrlForDisplay('https://feeds.example/recalls.json')).toBe('https://feeds.example/recalls.json');
  });

  it('refuses what is not an http(s) URL', async () => {
    await expect(fetchFeed('file:///etc/passwd')).rejects.toThrow(/only http and https/);
    await expect(fetchFeed('not a url')).rejects.toThrow(/is not a URL/);
  });
});
