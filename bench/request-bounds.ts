import { ChildProcess } from 'node:child_process';
import { sign } from 'jsonwebtoken';
import { API_BODY_BOUNDS, FEED_DOCUMENT_BOUNDS, QUERY_BOUNDS } from '../src/common/request-bounds';
import type { EventLoopReading } from './event-loop-probe';

/**
 * The request-bounds scenario: the costliest bodies that fit under BODY_LIMIT_BYTES (many keys, deep nesting, long
 * arrays, long strings, the largest body within the limits, a form body, XML, a long query string), sent to search,
 * safety check and admin import (with an admin JWT). For each: the event-loop time one request costs, measured in
 * the service (bench/event-loop-probe.ts), and /health/live latency while 10 such requests are in flight.
 * Target: under 50 ms of event-loop time per request. A 5xx or a failed request is an error; timings never are.
 */

export const EVENT_LOOP_TARGET_MS = 50;
const IN_FLIGHT = 10;
const REQUEST_TIMEOUT_MS = 300_000;
const PROBE_TIMEOUT_MS = 30 * 60_000;

interface HostileRequest {
  endpoint: string;
  body: string;
  method: 'GET' | 'POST';
  path: string;
  contentType?: string;
  payload?: string;
  admin?: boolean;
}

export interface BoundsMeasurement {
  endpoint: string;
  body: string;
  bytes: number;
  /** Status and error code of the measured requests (the last one). */
  status: number;
  code?: string;
  /** Event-loop busy time per request, the request alone (mean of `repeats`). */
  eventLoopMsPerRequest: number;
  /** Longest event-loop delay while those requests ran. */
  maxEventLoopDelayMs: number;
  /** 10 of these requests at once, /health/live pinged one after another meanwhile. */
  underLoad: { seconds: number; statusCounts: Record<string, number>; maxEventLoopDelayMs: number; live: { pings: number; p50: number; p99: number; max: number } };
}

export interface RequestBoundsResult {
  bodyLimitBytes: number;
  targetMs: number;
  inFlight: number;
  repeats: number;
  measurements: BoundsMeasurement[];
  failures: string[];
}

/** Items joined by `separator` between `open` and `close`, as many as fit in `limit` characters. */
function filled(open: string, close: string, item: (index: number) => string, limit: number, separator = ','): string {
  const parts: string[] = [];
  let length = open.length + close.length;
  for (let index = 0; ; index += 1) {
    const next = item(index);
    const added = next.length + (index > 0 ? separator.length : 0);
    if (length + added > limit) break;
    parts.push(next);
    length += added;
  }
  return open + parts.join(separator) + close;
}

/** The costliest bodies per endpoint that still fit in `limit` bytes (ASCII, so characters are bytes). */
export function hostileRequests(limit: number): HostileRequest[] {
  const json = (endpoint: string, path: string, admin = false) => (body: string, payload: string, contentType = 'application/json'): HostileRequest => ({
    endpoint,
    body,
    method: 'POST',
    path,
    contentType,
    payload,
    admin,
  });
  const manyKeys = filled('{', '}', (index) => `"k${index}":0`, limit);
  const depth = Math.floor(limit / 2);
  const deepArrays = '['.repeat(depth) + ']'.repeat(depth);
  const longArray = (field: string) => filled(`{"${field}":[`, ']}', () => '"a"', limit);
  const longString = (field: string) => `{"${field}":"${'x'.repeat(limit - field.length - 7)}"}`;

  // Within API_BODY_BOUNDS: maxKeys arrays of strings, as many values and characters as the limits and the size allow.
  const { maxKeys, maxValues } = API_BODY_BOUNDS;
  const perArray = Math.min(API_BODY_BOUNDS.maxItems, Math.floor((maxValues - 1 - maxKeys) / maxKeys));
  const stringLength = Math.min(API_BODY_BOUNDS.maxStringLength, Math.floor(limit / (maxKeys * perArray)) - 4);
  const apiAtLimits = JSON.stringify(Object.fromEntries(Array.from({ length: maxKeys }, (_, key) => [`k${key}`, Array(perArray).fill('x'.repeat(stringLength))])));

  // Within FEED_DOCUMENT_BOUNDS: an array of records with as many values as allowed, strings filling the size.
  const fieldsPerRecord = 9;
  const records = Math.min(FEED_DOCUMENT_BOUNDS.maxItems, Math.floor((FEED_DOCUMENT_BOUNDS.maxValues - 1) / (fieldsPerRecord + 1)));
  const record = (valueLength: number) => Object.fromEntries(Array.from({ length: fieldsPerRecord }, (_, field) => [`f${field}`, 'x'.repeat(valueLength)]));
  const emptyFeedLength = JSON.stringify(Array(records).fill(record(0))).length;
  const feedAtLimits = JSON.stringify(Array(records).fill(record(Math.max(0, Math.floor((limit - emptyFeedLength) / (records * fieldsPerRecord))))));
  const xmlDepth = Math.floor(limit / 7);

  const search = json('search', '/api/v1/search/advanced');
  const safety = json('safety-check', '/api/v1/safety-check');
  const admin = json('admin import', '/api/v1/admin/recalls/import', true);
  const query = filled('/api/v1/recalls?', '', (index) => `p${index}=1`, 14_000, '&'); // Node refuses request heads over 16 KB
  return [
    search('many keys', manyKeys),
    search('deep nesting', deepArrays),
    search('long array', longArray('keywords')),
    search('long string', longString('product')),
    search(`largest within limits (${maxKeys} keys × ${perArray} strings)`, apiAtLimits),
    search('form body, many fields', filled('', '', (index) => `k${index}=1`, limit, '&'), 'application/x-www-form-urlencoded'),
    safety('many keys', manyKeys),
    safety('deep nesting', deepArrays),
    safety('long array', longArray('product_name')),
    safety('long string', longString('product_name')),
    safety(`largest within limits (${maxKeys} keys × ${perArray} strings)`, apiAtLimits),
    admin('many keys', manyKeys),
    admin('deep nesting', deepArrays),
    admin('long array (empty records)', filled('[', ']', () => '{}', limit)),
    admin('long string', longString('product')),
    admin(`largest within limits (${records} records × ${fieldsPerRecord} fields)`, feedAtLimits),
    admin('deep XML', '<a>'.repeat(xmlDepth) + '</a>'.repeat(xmlDepth), 'application/xml'),
    admin('XML, many elements', filled('<Safety-Gate>', '</Safety-Gate>', () => '<a/>', limit, ''), 'application/xml'),
    { endpoint: 'list recalls', body: `query string, ${query.split('&').length} parameters (limit ${QUERY_BOUNDS.maxParameters})`, method: 'GET', path: query },
  ];
}

/** Reads and resets the service's event-loop probe over its IPC channel. */
function eventLoopProbe(child: ChildProcess) {
  const ask = <T>(message: string, type: string) =>
    new Promise<T>((resolve, reject) => {
      // Long: a service that freezes on these bodies answers only once it has worked through the requests the
      // client gave up on (REQUEST_TIMEOUT_MS), and that is what is being measured.
      const timer = setTimeout(() => reject(new Error(`the event-loop probe did not answer within ${PROBE_TIMEOUT_MS / 60_000} min`)), PROBE_TIMEOUT_MS);
      const listener = (reply: { type?: string; reading?: T }) => {
        if (reply?.type !== type) return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(reply.reading as T);
      };
      child.on('message', listener);
      child.send(message);
    });
  return {
    read: () => ask<EventLoopReading>('event-loop:read', 'event-loop:reading'),
    reset: () => ask<void>('event-loop:reset', 'event-loop:reset'),
  };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

export async function measureRequestBounds(options: {
  port: number;
  service: ChildProcess;
  jwtSecretKey: string;
  bodyLimitBytes: number;
  quick: boolean;
  log: (line: string) => void;
}): Promise<RequestBoundsResult> {
  const { port, bodyLimitBytes, log } = options;
  const repeats = options.quick ? 2 : 5;
  const probe = eventLoopProbe(options.service);
  const authorization = `Bearer ${sign({ role: 'admin' }, options.jwtSecretKey, { algorithm: 'HS256', expiresIn: '1h' })}`;
  const result: RequestBoundsResult = { bodyLimitBytes, targetMs: EVENT_LOOP_TARGET_MS, inFlight: IN_FLIGHT, repeats, measurements: [], failures: [] };

  const send = async (request: HostileRequest): Promise<{ status: number; code?: string }> => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
        method: request.method,
        headers: { ...(request.contentType ? { 'content-type': request.contentType } : {}), ...(request.admin ? { authorization } : {}) },
        body: request.payload,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
      return { status: response.status, code: body?.error?.code };
    } catch (error) {
      return { status: 0, code: (error as Error).name };
    }
  };

  for (const request of hostileRequests(bodyLimitBytes)) {
    const bytes = Buffer.byteLength(request.payload ?? request.path);
    await send(request); // warm-up
    await probe.reset();
    const before = await probe.read();
    let last = { status: 0 } as { status: number; code?: string };
    for (let repeat = 0; repeat < repeats; repeat += 1) last = await send(request);
    const after = await probe.read();

    await probe.reset();
    let pinging = true;
    const pings: number[] = [];
    const pinger = (async () => {
      while (pinging) {
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined);
        await response?.arrayBuffer();
        pings.push(performance.now() - started);
      }
    })();
    const loadStarted = performance.now();
    const statuses = await Promise.all(Array.from({ length: IN_FLIGHT }, () => send(request)));
    const seconds = (performance.now() - loadStarted) / 1000;
    pinging = false;
    await pinger;
    const underLoadReading = await probe.read();
    pings.sort((a, b) => a - b);
    const statusCounts: Record<string, number> = {};
    for (const { status } of statuses) statusCounts[status] = (statusCounts[status] ?? 0) + 1;

    const measurement: BoundsMeasurement = {
      endpoint: request.endpoint,
      body: request.body,
      bytes,
      status: last.status,
      ...(last.code ? { code: last.code } : {}),
      eventLoopMsPerRequest: (after.activeMs - before.activeMs) / repeats,
      maxEventLoopDelayMs: after.maxDelayMs,
      underLoad: {
        seconds,
        statusCounts,
        maxEventLoopDelayMs: underLoadReading.maxDelayMs,
        live: { pings: pings.length, p50: percentile(pings, 0.5), p99: percentile(pings, 0.99), max: pings[pings.length - 1] ?? NaN },
      },
    };
    result.measurements.push(measurement);
    const failed = [last, ...statuses].filter(({ status }) => status === 0 || status >= 500);
    if (failed.length > 0) {
      result.failures.push(`request-bounds ${request.endpoint} / ${request.body}: ${failed.length} requests failed (${[...new Set(failed.map((each) => `${each.status} ${each.code ?? ''}`.trim()))].join(', ')})`);
    }
    log(
      `  ${request.endpoint}, ${request.body} (${Math.round(bytes / 1024)} KB): ${measurement.status} ${measurement.code ?? ''}, ` +
        `${measurement.eventLoopMsPerRequest.toFixed(1)} ms event loop per request; ${IN_FLIGHT} in flight: /health/live ` +
        `p50 ${measurement.underLoad.live.p50.toFixed(1)} / p99 ${measurement.underLoad.live.p99.toFixed(1)} / max ${measurement.underLoad.live.max.toFixed(1)} ms`,
    );
  }
  return result;
}

const number = (value: number, digits = 1) => (Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');

/** The scenario's table for the bench report. */
export function requestBoundsReport(result: RequestBoundsResult): string[] {
  return [
    '',
    `Request bounds (the costliest bodies under BODY_LIMIT_BYTES = ${result.bodyLimitBytes.toLocaleString('en-US')}; target: under ${result.targetMs} ms of ` +
      `event-loop time per request). Event-loop time: busy time measured in the service (performance.eventLoopUtilization), ` +
      `mean of ${result.repeats} requests sent one at a time; then ${result.inFlight} at once while /health/live is pinged one ping after another:`,
    '',
    '| endpoint | body | KB | answer | event loop ms / request | longest block ms | 10 in flight: s | /health/live p50 ms | p99 ms | max ms |',
    '|---|---|---:|---|---:|---:|---:|---:|---:|---:|',
    ...result.measurements.map(
      (each) =>
        `| ${each.endpoint} | ${each.body} | ${number(each.bytes / 1024, 0)} | ${each.status} ${each.code ?? ''} | ${number(each.eventLoopMsPerRequest)} | ` +
        `${number(each.maxEventLoopDelayMs)} | ${number(each.underLoad.seconds, 2)} | ${number(each.underLoad.live.p50)} | ${number(each.underLoad.live.p99)} | ${number(each.underLoad.live.max)} |`,
    ),
  ];
}
