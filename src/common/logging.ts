import { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Level, Logger, LoggerOptions } from 'pino';
import { Options as PinoHttpOptions } from 'pino-http';
import { AppSettings } from '../config/configuration';

/** Pino's `msg`, named as the service's JSON logs have always named it (and as most log shippers read it). */
export const MESSAGE_KEY = 'message';
/** The request's trace id on every line a request causes: the X-Trace-Id header and the envelopes' `traceId`. */
export const TRACE_ID_KEY = 'traceId';

export type LogSettings = Pick<AppSettings, 'logLevel' | 'logFormat'>;

/**
 * The one pino logger of the process. JSON lines, except LOG_FORMAT=pretty on a terminal (pino-pretty, a development
 * dependency: where it is not installed, JSON). `destination` replaces stdout (tests read what is written).
 */
export function createRootLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.logLevel,
    messageKey: MESSAGE_KEY,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: { logMethod: withStringMessage },
  };
  const pretty = destination === undefined && settings.logFormat === 'pretty' && process.stdout.isTTY ? prettyStream() : undefined;
  return pino(options, destination ?? pretty ?? pino.destination({ dest: 1, sync: true }));
}

/** A logger that writes nothing (tests that do not read logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

function prettyStream(): DestinationStream | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pretty({
      messageKey: MESSAGE_KEY,
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context',
      messageFormat: `{if context}[{context}] {end}{${MESSAGE_KEY}}`,
    });
  } catch {
    return undefined;
  }
}

/**
 * Every line gets a string message: Nest's Logger passes objects through (`logger.error({...})`), pino would then
 * write none, or the object's own `message` field whatever its type.
 */
function withStringMessage(this: Logger, args: unknown[], method: (...args: unknown[]) => void): void {
  const [first, second, ...rest] = args;
  if (typeof first === 'string') return method.apply(this, args);
  if (first === null || typeof first !== 'object') return method.call(this, textOf(first), ...args.slice(1));
  if (typeof second === 'string') return method.apply(this, args);
  if (second !== undefined) return method.call(this, first, textOf(second), ...rest);
  const { message, err } = first as { message?: unknown; err?: unknown };
  return method.call(this, first, message === undefined && err instanceof Error ? err.message : textOf(message ?? ''));
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return String(value); // a circular object
  }
}

/** 5xx: the service failed (error). 4xx: the client's mistake, answered as designed (info), like 2xx and 3xx. */
export function levelForStatus(status: number): Level {
  return status >= 500 ? 'error' : 'info';
}

/** What a request's line says besides its trace id; `reason` names why a request was refused before routing. */
export interface RequestLine {
  method?: string;
  url?: string;
  statusCode: number;
  durationMs?: number;
  reason?: string;
}

function requestMessage({ method, url, statusCode, reason }: RequestLine): string {
  return [method ?? 'unparsed request', url, statusCode, reason && `(${reason})`].filter((part) => part !== undefined).join(' ');
}

/** The line of a request answered before Nest saw it (an undecodable URL, bytes that are not HTTP). */
export function logRefusedRequest(logger: Logger, traceId: string, line: RequestLine): void {
  logger[levelForStatus(line.statusCode)]({ [TRACE_ID_KEY]: traceId, ...line }, requestMessage(line));
}

/**
 * nestjs-pino on `root`: one line per request when its response is sent (pino-http), and the request's logger, with
 * its trace id, behind Nest's Logger for everything logged while the request runs (AsyncLocalStorage).
 * nestjs-pino keeps the first application's pino-http instance for the whole process: one application per process
 * (a test file that reads logs builds its applications on one logger).
 */
export function loggingModule(root: Logger): DynamicModule {
  const line = (req: IncomingMessage, res: ServerResponse, durationMs?: number): RequestLine => ({
    method: req.method,
    url: (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url,
    statusCode: res.statusCode,
    durationMs,
  });
  const pinoHttp: PinoHttpOptions = {
    logger: root,
    // The trace id is given by Fastify's genReqId (see assignTraceId): pino-http reads it from `req.id`.
    customAttributeKeys: { reqId: TRACE_ID_KEY, responseTime: 'durationMs' },
    // Only the trace id is bound to the request's logger; the request line carries flat fields (no headers: tokens).
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, error) => (error ? 'error' : levelForStatus(res.statusCode)),
    customSuccessMessage: (req, res, durationMs) => requestMessage(line(req, res, durationMs)),
    customSuccessObject: (req, res, fields: { durationMs: number }) => line(req, res, fields.durationMs),
    customErrorMessage: (req, res) => requestMessage(line(req, res)),
    // The cause of a 5xx is logged where it is caught (ErrorEnvelopeFilter), with its stack.
    customErrorObject: (req, res, _error, fields: { durationMs: number }) => line(req, res, fields.durationMs),
  };
  // nestjs-pino's default route, `{/*splat}`, becomes `/{/*splat}` in @fastify/middie 9.3 (it prefixes a slash), which
  // matches no request: every path is given here in a form both read alike.
  return LoggerModule.forRoot({ pinoHttp, forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }] });
}
