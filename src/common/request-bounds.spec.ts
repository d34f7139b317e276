import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  API_BODY_BOUNDS,
  describeViolation,
  FEED_DOCUMENT_BOUNDS,
  findJsonBoundsViolation,
  findQueryBoundsViolation,
  findXmlBoundsViolation,
  JsonBounds,
  QUERY_BOUNDS,
  XML_DOCUMENT_BOUNDS,
} from './request-bounds';

const bounds: JsonBounds = { maxDepth: 3, maxKeys: 4, maxItems: 5, maxStringLength: 6, maxValues: 20 };
const check = (value: unknown, limits = bounds) => findJsonBoundsViolation(typeof value === 'string' ? value : JSON.stringify(value), limits);
const objectWithKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, index]));
const nestedArrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('findJsonBoundsViolation', () => {
  it('accepts nesting exactly at the depth limit and refuses one level more', () => {
    expect(check(nestedArrays(3))).toBeUndefined();
    expect(check({ a: { b: [] } })).toBeUndefined();
    expect(check(nestedArrays(4))).toEqual({ limit: 'maxDepth', max: 3 });
    expect(check({ a: { b: [[]] } })).toEqual({ limit: 'maxDepth', max: 3 });
  });

  it('refuses 10,000 nested arrays and 500,000 nested arrays without overflowing the stack', () => {
    expect(check(nestedArrays(10_000), API_BODY_BOUNDS)).toEqual({ limit: 'maxDepth', max: API_BODY_BOUNDS.maxDepth });
    expect(check(nestedArrays(500_000), FEED_DOCUMENT_BOUNDS)).toEqual({ limit: 'maxDepth', max: FEED_DOCUMENT_BOUNDS.maxDepth });
    expect(check('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), FEED_DOCUMENT_BOUNDS)).toEqual({ limit: 'maxDepth', max: 32 });
  });

  it('accepts an object with exactly the most keys and refuses one key more, at any level', () => {
    expect(check(objectWithKeys(4))).toBeUndefined();
    expect(check(objectWithKeys(5))).toEqual({ limit: 'maxKeys', max: 4 });
    expect(check([objectWithKeys(4), { a: objectWithKeys(5) }])).toEqual({ limit: 'maxKeys', max: 4 });
  });

  it('counts keys per object: siblings of a nested object do not add up', () => {
    expect(check({ a: { b: 1, c: 2, d: 3, e: 4 }, f: 1, g: 2, h: 3 })).toBeUndefined();
  });

  it('refuses the 88,000-key body of the API at its first key over the limit', () => {
    expect(check(objectWithKeys(88_000), API_BODY_BOUNDS)).toEqual({ limit: 'maxKeys', max: 32 });
  });

  it('accepts an array with exactly the most items and refuses one item more, whatever the items are', () => {
    expect(check([1, 2, 3, 4, 5])).toBeUndefined();
    expect(check([1, 2, 3, 4, 5, 6])).toEqual({ limit: 'maxItems', max: 5 });
    expect(check(['a', true, null, {}, []])).toBeUndefined();
    expect(check(['a', true, null, {}, [], -1.5e3])).toEqual({ limit: 'maxItems', max: 5 });
    expect(check({ a: [[1, 2, 3, 4, 5, 6]] })).toEqual({ limit: 'maxItems', max: 5 });
  });

  it('accepts strings and keys of exactly the longest length and refuses one character more', () => {
    expect(check({ p: 'abcdef' })).toBeUndefined();
    expect(check({ p: 'abcdefg' })).toEqual({ limit: 'maxStringLength', max: 6 });
    expect(check({ abcdef: 1 })).toBeUndefined();
    expect(check({ abcdefg: 1 })).toEqual({ limit: 'maxStringLength', max: 6 });
    expect(check('"abcdefg"')).toEqual({ limit: 'maxStringLength', max: 6 });
  });

  it('measures a string as written, escapes included, and is not misled by escaped quotes', () => {
    expect(check('["ab\\"cd"]')).toBeUndefined(); // 6 characters as written
    expect(check('["ab\\"cde"]')).toEqual({ limit: 'maxStringLength', max: 6 });
    expect(check('["a\\\\", "b", "c", "d", "e"]')).toBeUndefined(); // the string ends after the escaped backslash
    expect(check('{"a\\\\":{"b":{"c":1}}}')).toBeUndefined();
  });

  it('accepts exactly the most values in the body and refuses one more', () => {
    const limits = { ...bounds, maxValues: 7 };
    expect(check({ a: [1, 2], b: { c: 'x', d: null } }, limits)).toBeUndefined(); // root, array, 1, 2, object, 'x', null
    expect(check({ a: [1, 2], b: { c: 'x', d: null, e: false } }, limits)).toEqual({ limit: 'maxValues', max: 7 });
  });

  it('refuses the prototype-poisoning keys __proto__ and constructor, escaped or not, at any level', () => {
    const check = (text: unknown) => findJsonBoundsViolation(typeof text === 'string' ? text : JSON.stringify(text), API_BODY_BOUNDS);
    expect(check('{"__proto__":{"admin":true}}')).toEqual({ limit: 'reservedKey', key: '__proto__' });
    expect(check('{"a":{"constructor":{"prototype":{}}}}')).toEqual({ limit: 'reservedKey', key: 'constructor' });
    expect(check('{"\\u005f_proto__":1}')).toEqual({ limit: 'reservedKey', key: '__proto__' });
    expect(check({ proto: '__proto__', constructors: 'constructor' })).toBeUndefined(); // as values they are plain text
  });

  it('reads pretty-printed JSON like compact JSON', () => {
    const value = { a: [1, 'two', { b: null }], c: true };
    expect(check(JSON.stringify(value, null, 2))).toBeUndefined();
    expect(check(JSON.stringify({ ...value, d: 1, e: 2, f: 3 }, null, '\t'))).toEqual({ limit: 'maxKeys', max: 4 });
  });

  it('leaves malformed JSON to the parser', () => {
    for (const text of ['', '{"a":', '{"a" "b"}', ']]]', '"unterminated', '{,,,}']) expect(check(text)).toBeUndefined();
  });

  it('admits every real feed sample and fixture', () => {
    const dirs = [join(__dirname, '..', '..', 'data', 'samples'), join(__dirname, '..', '..', 'test', 'fixtures', 'feeds')];
    const files = dirs.flatMap((dir) => readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => join(dir, name)));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) expect([file, check(readFileSync(file, 'utf8'), FEED_DOCUMENT_BOUNDS)]).toEqual([file, undefined]);
  });
});

describe('findQueryBoundsViolation', () => {
  const parameters = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, '1']));

  it('accepts exactly the most parameters and refuses one more', () => {
    expect(findQueryBoundsViolation(parameters(QUERY_BOUNDS.maxParameters), QUERY_BOUNDS)).toBeUndefined();
    expect(findQueryBoundsViolation(parameters(QUERY_BOUNDS.maxParameters + 1), QUERY_BOUNDS)).toEqual({ limit: 'maxParameters', max: 32 });
  });

  it('accepts a parameter repeated exactly the most times and refuses one repeat more', () => {
    expect(findQueryBoundsViolation({ agency: Array(10).fill('CPSC') }, QUERY_BOUNDS)).toBeUndefined();
    expect(findQueryBoundsViolation({ agency: Array(11).fill('CPSC') }, QUERY_BOUNDS)).toEqual({ limit: 'maxRepeats', max: 10 });
  });

  it('accepts values of exactly the longest length and refuses one character more', () => {
    expect(findQueryBoundsViolation({ q: 'x'.repeat(2048) }, QUERY_BOUNDS)).toBeUndefined();
    expect(findQueryBoundsViolation({ q: 'x'.repeat(2049) }, QUERY_BOUNDS)).toEqual({ limit: 'maxStringLength', max: 2048 });
    expect(findQueryBoundsViolation({ q: ['a', 'x'.repeat(2049)] }, QUERY_BOUNDS)).toEqual({ limit: 'maxStringLength', max: 2048 });
  });

  it('refuses reserved keys', () => {
    const query = Object.create(null) as Record<string, string>;
    query['__proto__'] = 'x'; // as fast-querystring parses ?__proto__=x: an own key of a prototype-less object
    expect(findQueryBoundsViolation(query, QUERY_BOUNDS)).toEqual({ limit: 'reservedKey', key: '__proto__' });
  });
});

describe('findXmlBoundsViolation', () => {
  const xmlBounds = { maxDepth: 3, maxElements: 6, maxAttributes: 2 };
  const check = (text: string) => findXmlBoundsViolation(text, xmlBounds);

  it('accepts nesting exactly at the depth limit and refuses one level more; self-closing elements do not nest', () => {
    expect(check('<a><b><c/><c>x</c></b></a>')).toBeUndefined();
    expect(check('<a><b><c><d/></c></b></a>')).toBeUndefined();
    expect(check('<a><b><c><d></d></c></b></a>')).toEqual({ limit: 'maxDepth', max: 3 });
  });

  it('refuses 150,000 nested elements without recursion', () => {
    expect(findXmlBoundsViolation('<a>'.repeat(150_000) + '</a>'.repeat(150_000), XML_DOCUMENT_BOUNDS)).toEqual({ limit: 'maxDepth', max: 32 });
  });

  it('accepts exactly the most elements and refuses one more', () => {
    expect(check(`<r>${'<e/>'.repeat(5)}</r>`)).toBeUndefined();
    expect(check(`<r>${'<e/>'.repeat(6)}</r>`)).toEqual({ limit: 'maxElements', max: 6 });
  });

  it('accepts exactly the most attributes on an element and refuses one more, whatever the quoted values hold', () => {
    expect(check('<a x="1" y=\'a=b>c\'/>')).toBeUndefined();
    expect(check('<a x="1" y="2" z="3"/>')).toEqual({ limit: 'maxAttributes', max: 2 });
  });

  it('skips comments, CDATA, declarations and processing instructions', () => {
    expect(check('<?xml version="1.0"?><!DOCTYPE r><r><!-- <a><a><a><a> --><![CDATA[<a><a><a><a>]]><e/></r>')).toBeUndefined();
  });

  it('admits the EU Safety Gate sample', () => {
    expect(findXmlBoundsViolation(readFileSync(join(__dirname, '..', '..', 'data', 'samples', 'eu-safety-gate.xml'), 'utf8'), XML_DOCUMENT_BOUNDS)).toBeUndefined();
  });
});

describe('describeViolation', () => {
  it('names the limit that was passed', () => {
    expect(describeViolation('The request body', { limit: 'maxKeys', max: 32 })).toBe('The request body has an object with too many keys (limit: 32 keys per object)');
    expect(describeViolation('The request body', { limit: 'maxDepth', max: 4 })).toBe('The request body nests too deeply (limit: 4 levels)');
    expect(describeViolation('The query string', { limit: 'reservedKey', key: '__proto__' })).toBe('The query string uses the reserved key "__proto__"');
  });
});
