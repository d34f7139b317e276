import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyRequest, RawServerDefault } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';
import { ApiError } from './api-error';
import { ErrorCode } from './error-codes';

/**
 * Limits on the shape of a JSON body, checked on its text before it is parsed: past them, parsing, class-transformer
 * and the validators would cost time out of proportion to the body (88,000 keys took class-transformer 19 s) or
 * recurse until the stack overflows (10,000 nested arrays).
 */
export interface JsonBounds {
  /** Objects and arrays inside one another; the outermost counts as 1. */
  maxDepth: number;
  /** Keys of any one object. */
  maxKeys: number;
  /** Items of any one array. */
  maxItems: number;
  /** Characters of any one string or key, as written in the body (an escape counts as its characters). */
  maxStringLength: number;
  /** Values in the whole body: objects, arrays, strings, numbers, true, false and null. */
  maxValues: number;
}

/** Limits on a parsed query string (`?a=1&a=2` gives `a` two values). */
export interface QueryBounds {
  maxParameters: number;
  /** Values of one repeated parameter. */
  maxRepeats: number;
  maxStringLength: number;
}

/**
 * The API's bodies are small DTOs (src/recalls/api/recall.dto.ts: at most 15 fields, arrays of at most 10 strings,
 * nothing nested deeper than an array of strings, about 40 values in all); these limits leave room for the
 * validators to name what is wrong, and keep the largest body they admit cheap to parse and validate.
 */
export const API_BODY_BOUNDS: JsonBounds = { maxDepth: 4, maxKeys: 32, maxItems: 64, maxStringLength: 2048, maxValues: 256 };

/**
 * Whole feed documents (the admin import): the real feeds nest 5 levels deep, hold at most about 30 keys per record
 * and 20 values per KB, so a 1 MiB feed is some 20,000 values in at most a few thousand records.
 */
export const FEED_DOCUMENT_BOUNDS: JsonBounds = { maxDepth: 32, maxKeys: 1000, maxItems: 10_000, maxStringLength: 100_000, maxValues: 100_000 };

export const QUERY_BOUNDS: QueryBounds = { maxParameters: 32, maxRepeats: 10, maxStringLength: 2048 };

/** Limits on an XML body (EU Safety Gate feeds), checked on its text before it is parsed. */
export interface XmlBounds {
  maxDepth: number;
  /** Elements in the whole document. */
  maxElements: number;
  /** Attributes of any one element. */
  maxAttributes: number;
}

/**
 * The EU Safety Gate report nests 4 levels and has about 20 elements per notification, so a 1 MiB report is some
 * 20,000 elements; past these limits fast-xml-parser would spend seconds (250,000 empty elements: 0.8 s).
 */
export const XML_DOCUMENT_BOUNDS: XmlBounds = { maxDepth: 32, maxElements: 50_000, maxAttributes: 32 };

/** Keys that would reach an object's prototype when a parsed body is merged or assigned (prototype poisoning). */
const RESERVED_KEYS = new Set(['__proto__', 'constructor']);

export type BoundsViolation =
  | { limit: keyof JsonBounds | keyof QueryBounds | keyof XmlBounds; max: number }
  | { limit: 'reservedKey'; key: string };

const LIMIT_TEXT: Record<keyof JsonBounds | keyof QueryBounds | keyof XmlBounds, (max: number) => string> = {
  maxDepth: (max) => `nests too deeply (limit: ${max} levels)`,
  maxKeys: (max) => `has an object with too many keys (limit: ${max} keys per object)`,
  maxItems: (max) => `has an array with too many items (limit: ${max} items per array)`,
  maxStringLength: (max) => `has a string or key that is too long (limit: ${max} characters)`,
  maxValues: (max) => `has too many values (limit: ${max} values)`,
  maxParameters: (max) => `has too many parameters (limit: ${max})`,
  maxRepeats: (max) => `repeats a parameter too often (limit: ${max} values per parameter)`,
  maxElements: (max) => `has too many elements (limit: ${max} elements)`,
  maxAttributes: (max) => `has an element with too many attributes (limit: ${max} attributes per element)`,
};

/** The client-facing sentence for a violation, e.g. "The request body has too many values (limit: 256 values)". */
export function describeViolation(subject: string, violation: BoundsViolation): string {
  if (violation.limit === 'reservedKey') return `${subject} uses the reserved key "${violation.key}"`;
  return `${subject} ${LIMIT_TEXT[violation.limit](violation.max)}`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * The first limit a JSON text breaks, found in one pass over the text without recursion, stopping at the first
 * violation; `undefined` when within bounds. Malformed JSON is left for JSON.parse to refuse.
 */
export function findJsonBoundsViolation(text: string, bounds: JsonBounds): BoundsViolation | undefined {
  // Entries of each open container, and whether it is an object; a depth past the limit is refused before use.
  const entries = new Uint32Array(bounds.maxDepth + 1);
  const isObject = new Uint8Array(bounds.maxDepth + 1);
  let depth = 0;
  let expectKey = false;
  let values = 0;
  const length = text.length;

  /** Counts a value that starts at the current position, in the whole body and in its array. */
  const valueStarts = (): BoundsViolation | undefined => {
    if (++values > bounds.maxValues) return { limit: 'maxValues', max: bounds.maxValues };
    if (depth > 0 && isObject[depth] === 0 && ++entries[depth] > bounds.maxItems) return { limit: 'maxItems', max: bounds.maxItems };
    return undefined;
  };

  let i = 0;
  while (i < length) {
    const char = text.charCodeAt(i);
    if (char === QUOTE) {
      const end = closingQuote(text, i + 1);
      if (end === -1) return undefined;
      if (end - i - 1 > bounds.maxStringLength) return { limit: 'maxStringLength', max: bounds.maxStringLength };
      if (expectKey) {
        if (++entries[depth] > bounds.maxKeys) return { limit: 'maxKeys', max: bounds.maxKeys };
        const key = keyAt(text, i, end);
        if (RESERVED_KEYS.has(key)) return { limit: 'reservedKey', key };
        expectKey = false;
      } else {
        const violation = valueStarts();
        if (violation) return violation;
      }
      i = end + 1;
    } else if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      const violation = valueStarts();
      if (violation) return violation;
      if (depth === bounds.maxDepth) return { limit: 'maxDepth', max: bounds.maxDepth };
      depth += 1;
      entries[depth] = 0;
      isObject[depth] = char === OPEN_OBJECT ? 1 : 0;
      expectKey = char === OPEN_OBJECT;
      i += 1;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      if (depth === 0) return undefined;
      depth -= 1;
      expectKey = false;
      i += 1;
    } else if (char === COMMA) {
      expectKey = depth > 0 && isObject[depth] === 1;
      i += 1;
    } else if (char === COLON || isWhitespace(char)) {
      if (char === COLON) expectKey = false;
      i += 1;
    } else {
      // A number, true, false or null: one value, up to the next structural character.
      const violation = valueStarts();
      if (violation) return violation;
      i += 1;
      while (i < length && !endsLiteral(text.charCodeAt(i))) i += 1;
    }
  }
  return undefined;
}

/** The first limit a parsed query string breaks; `undefined` when within bounds. */
export function findQueryBoundsViolation(query: unknown, bounds: QueryBounds): BoundsViolation | undefined {
  if (query === null || typeof query !== 'object') return undefined;
  let parameters = 0;
  for (const key in query) {
    if (++parameters > bounds.maxParameters) return { limit: 'maxParameters', max: bounds.maxParameters };
    if (RESERVED_KEYS.has(key)) return { limit: 'reservedKey', key };
    if (key.length > bounds.maxStringLength) return { limit: 'maxStringLength', max: bounds.maxStringLength };
    const value = (query as Record<string, unknown>)[key];
    const repeats = Array.isArray(value) ? value : [value];
    if (repeats.length > bounds.maxRepeats) return { limit: 'maxRepeats', max: bounds.maxRepeats };
    for (const each of repeats) {
      if (typeof each === 'string' && each.length > bounds.maxStringLength) return { limit: 'maxStringLength', max: bounds.maxStringLength };
    }
  }
  return undefined;
}

/**
 * The first limit an XML text breaks, in one pass without recursion; `undefined` when within bounds. Comments,
 * CDATA, processing instructions and declarations are skipped; malformed XML is left for the parser to refuse.
 */
export function findXmlBoundsViolation(text: string, bounds: XmlBounds): BoundsViolation | undefined {
  let depth = 0;
  let elements = 0;
  let at = text.indexOf('<');
  while (at !== -1 && at < text.length - 1) {
    const next = text.charCodeAt(at + 1);
    let end: number;
    if (text.startsWith('<!--', at)) end = endOf(text, '-->', at + 4);
    else if (text.startsWith('<![CDATA[', at)) end = endOf(text, ']]>', at + 9);
    else if (next === 0x3f /* ? */) end = endOf(text, '?>', at + 2);
    else if (next === 0x21 /* ! */) end = endOf(text, '>', at + 2);
    else if (next === 0x2f /* / */) {
      depth -= 1;
      end = endOf(text, '>', at + 2);
    } else {
      if (++elements > bounds.maxElements) return { limit: 'maxElements', max: bounds.maxElements };
      // The tag runs to the first '>' outside a quoted attribute value; each '=' outside one starts an attribute.
      let attributes = 0;
      let quote = 0;
      let i = at + 1;
      for (; i < text.length; i += 1) {
        const char = text.charCodeAt(i);
        if (quote !== 0) {
          if (char === quote) quote = 0;
        } else if (char === 0x22 || char === 0x27) quote = char;
        else if (char === 0x3d /* = */ && ++attributes > bounds.maxAttributes) return { limit: 'maxAttributes', max: bounds.maxAttributes };
        else if (char === 0x3e /* > */) break;
      }
      end = i;
      if (text.charCodeAt(i - 1) !== 0x2f /* / */ && ++depth > bounds.maxDepth) return { limit: 'maxDepth', max: bounds.maxDepth };
    }
    if (end === -1 || end >= text.length) return undefined;
    at = text.indexOf('<', end + 1);
  }
  return undefined;
}

/** Index of the last character of `terminator` found from `from`, or -1. */
function endOf(text: string, terminator: string, from: number): number {
  const found = text.indexOf(terminator, from);
  return found === -1 ? -1 : found + terminator.length - 1;
}

function closingQuote(text: string, from: number): number {
  let quote = text.indexOf('"', from);
  while (quote !== -1) {
    // Escaped when an odd run of backslashes precedes it; each run is read once, so the scan stays linear.
    let backslashes = 0;
    for (let j = quote - 1; j >= from && text.charCodeAt(j) === BACKSLASH; j--) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

/** A key as JSON.parse will read it: escapes (`"\u005f_proto__"`) decoded; the key is short, its length already checked. */
function keyAt(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return raw;
  }
}

function isWhitespace(char: number): boolean {
  return char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09;
}

function endsLiteral(char: number): boolean {
  return char === COMMA || char === CLOSE_OBJECT || char === CLOSE_ARRAY || char === COLON || char === QUOTE || char === OPEN_OBJECT || char === OPEN_ARRAY || isWhitespace(char);
}

/** Route config: `bodyBounds` replaces API_BODY_BOUNDS for a route that takes more than a small DTO. */
export interface RouteBoundsOptions {
  bodyBounds?: JsonBounds;
  /** The handler gets the JSON body's text, checked against the bounds but not parsed (it parses the text itself). */
  jsonBodyAsText?: boolean;
}

/**
 * JSON, XML and form bodies are checked against their route's bounds before they are parsed (XML bodies reach the
 * handler as text), query strings once parsed
 * (before validation); past them, the request is answered 400 BAD_REQUEST naming the limit. Reserved keys are
 * refused by the same checks. Registered through Nest, which otherwise installs its own parsers for both types.
 */
export function registerRequestBounds(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', {}, (request, body, done) => {
    const text = body.toString('utf8');
    const options = request.routeOptions.config as RouteBoundsOptions | undefined;
    const violation = findJsonBoundsViolation(text, options?.bodyBounds ?? API_BODY_BOUNDS);
    if (violation) done(new ApiError(ErrorCode.BAD_REQUEST, describeViolation('The request body', violation)), undefined);
    else if (options?.jsonBodyAsText) done(null, text);
    else parseJson(request, text, done);
  });
  fastify.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_request, body, done) => {
    const violation = findXmlBoundsViolation(body as string, XML_DOCUMENT_BOUNDS);
    if (violation) done(new ApiError(ErrorCode.BAD_REQUEST, describeViolation('The request body', violation)), undefined);
    else done(null, body);
  });
  app.useBodyParser('application/x-www-form-urlencoded', {}, (_request, body, done) => {
    const text = body.toString('utf8');
    // Counted on the text: parsing 100,000 pairs into an object would already cost what the limit is there to avoid.
    const tooMany = hasMoreSeparators(text, '&', QUERY_BOUNDS.maxParameters - 1);
    const parsed = tooMany ? undefined : parseQueryString(text);
    const violation: BoundsViolation | undefined = tooMany
      ? { limit: 'maxParameters', max: QUERY_BOUNDS.maxParameters }
      : findQueryBoundsViolation(parsed, QUERY_BOUNDS);
    if (violation) done(new ApiError(ErrorCode.BAD_REQUEST, describeViolation('The request body', violation)), undefined);
    else done(null, parsed);
  });
  fastify.addHook('preValidation', (request: FastifyRequest, _reply, done) => {
    const violation = findQueryBoundsViolation(request.query, QUERY_BOUNDS);
    done(violation ? new ApiError(ErrorCode.BAD_REQUEST, describeViolation('The query string', violation)) : undefined);
  });
}

function hasMoreSeparators(text: string, separator: string, max: number): boolean {
  let count = 0;
  for (let at = text.indexOf(separator); at !== -1; at = text.indexOf(separator, at + 1)) if (++count > max) return true;
  return false;
}
