import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { redactDatabaseUrl } from '../../config/database-url';

export interface FetchOptions {
  /** Per attempt, for the whole download. */
  timeoutMs: number;
  /** Further attempts after the first, on network errors, timeouts, 429 and 5xx. */
  retries: number;
  maxBytes: number;
  retryDelayMs: number;
}

export const DEFAULT_FETCH_OPTIONS: FetchOptions = { timeoutMs: 60_000, retries: 3, maxBytes: 200 * 1024 * 1024, retryDelayMs: 1000 };

export class FeedFetchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'FeedFetchError';
  }
}

/** A downloaded feed in a temporary file; call dispose() when done with it. */
export interface FetchedFeed {
  path: string;
  bytes: number;
  attempts: number;
  dispose(): Promise<void>;
}

/**
 * Downloads a feed to a temporary file with a timeout per attempt, retries with backoff for passing failures,
 * and a size limit enforced while streaming (the body is never held in memory).
 */
export async function fetchFeed(url: string, options: Partial<FetchOptions> = {}, log: (line: string) => void = () => undefined): Promise<FetchedFeed> {
  const settings = { ...DEFAULT_FETCH_OPTIONS, ...options };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FeedFetchError(`${feedUrlForDisplay(url)} is not a URL`, false);
  }
  const shown = feedUrlForDisplay(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FeedFetchError(`${shown}: only http and https are supported`, false);
  // fetch() refuses them too, with a message that repeats the URL, password and all.
  if (parsed.username || parsed.password) throw new FeedFetchError(`${shown}: a user name or password in a feed URL is not supported`, false);

  const directory = await mkdtemp(join(tmpdir(), 'babyshield-feed-'));
  const path = join(directory, 'feed');
  const dispose = () => rm(directory, { recursive: true, force: true });
  for (let attempt = 1; ; attempt += 1) {
    try {
      const bytes = await downloadOnce(parsed, path, settings);
      return { path, bytes, attempts: attempt, dispose };
    } catch (error) {
      const failure = error instanceof FeedFetchError ? error : new FeedFetchError((error as Error).message, true);
      if (!failure.retryable || attempt > settings.retries) {
        await dispose();
        throw new FeedFetchError(`${shown}: ${failure.message} (after ${attempt} attempt${attempt > 1 ? 's' : ''})`, false);
      }
      const delay = failure instanceof RetryAfter ? failure.delayMs : settings.retryDelayMs * 2 ** (attempt - 1);
      log(`attempt ${attempt} failed: ${failure.message}; retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** A feed URL as it may appear in messages: a password in it is masked. */
export function feedUrlForDisplay(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.href;
  } catch {
    return redactDatabaseUrl(url);
  }
}

class RetryAfter extends FeedFetchError {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message, true);
  }
}

async function downloadOnce(url: URL, path: string, settings: FetchOptions): Promise<number> {
  const signal = AbortSignal.timeout(settings.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow', headers: { accept: 'application/json, application/xml, text/xml, */*' } });
  } catch (error) {
    throw new FeedFetchError(describeNetworkError(error, settings.timeoutMs), true);
  }
  if (response.status === 429 || response.status >= 500) {
    await response.body?.cancel();
    const retryAfter = Number(response.headers.get('retry-after'));
    const message = `HTTP ${response.status}`;
    if (Number.isFinite(retryAfter) && retryAfter > 0) throw new RetryAfter(message, Math.min(retryAfter * 1000, 60_000));
    throw new FeedFetchError(message, true);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FeedFetchError(`HTTP ${response.status}`, false);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > settings.maxBytes) {
    await response.body?.cancel();
    throw new FeedFetchError(`the feed is ${declared} bytes, over the limit of ${settings.maxBytes}`, false);
  }
  if (!response.body) throw new FeedFetchError('the response has no body', true);
  let bytes = 0;
  const counted = Readable.fromWeb(response.body as never);
  counted.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > settings.maxBytes) counted.destroy(new FeedFetchError(`the feed is over the limit of ${settings.maxBytes} bytes`, false));
  });
  try {
    await pipeline(counted, createWriteStream(path));
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    throw new FeedFetchError(describeNetworkError(error, settings.timeoutMs), true);
  }
  return bytes;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
