/**
 * Streams the elements of a feed's record array out of a JSON text read in chunks, so a 27 MB feed never has
 * to be held (or parsed) whole. The records are the root array's elements, or those of the root object's
 * "results" array (the openFDA and NHTSA envelopes). Each element's text is parsed on its own: a malformed
 * element is reported with its position and the rest still stream.
 */
export type StreamedElement = { position: number; value: unknown } | { position: number; error: string };

export class FeedSyntaxError extends Error {}

const RECORDS_KEY = 'results';

export async function* streamJsonRecords(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<StreamedElement> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let rootKind: '[' | '{' | undefined;
  let recordsDepth = -1; // depth inside which elements are records
  let element: string[] = [];
  let elementStart = -1; // chunk-relative start of the current element
  let position = 0;
  let lastKey = '';
  let keyBuffer: string[] | undefined;
  let sawBom = false;
  let stringRecord = false; // a string where a record should be

  for await (const rawChunk of chunks) {
    let chunk = typeof rawChunk === 'string' ? rawChunk : rawChunk.toString('utf8');
    if (!sawBom) {
      sawBom = true;
      chunk = chunk.replace(/^\uFEFF/, '');
    }
    for (let i = 0; i < chunk.length; i += 1) {
      const char = chunk[i];
      if (inString) {
        if (keyBuffer && !(char === '"' && !escaped)) keyBuffer.push(char);
        if (escaped) escaped = false;
        else if (char === '\\') escaped = true;
        else if (char === '"') {
          inString = false;
          if (keyBuffer) {
            lastKey = keyBuffer.join('');
            keyBuffer = undefined;
          }
          if (stringRecord) {
            stringRecord = false;
            yield { position, error: 'record is a string, not an object' };
            position += 1;
          }
        }
        continue;
      }
      if (char === '"') {
        inString = true;
        if (depth === recordsDepth && elementStart === -1) stringRecord = true;
        // Keys of the root object are collected to find "results"; nothing else needs decoding here.
        if (rootKind === '{' && depth === 1 && recordsDepth === -1) keyBuffer = [];
        continue;
      }
      if (char === '{' || char === '[') {
        if (depth === 0) {
          rootKind = char;
          if (char === '[') recordsDepth = 1;
        } else if (rootKind === '{' && depth === 1 && char === '[' && lastKey === RECORDS_KEY && recordsDepth === -1) {
          recordsDepth = 2;
          depth += 1;
          continue;
        }
        if (depth === recordsDepth && elementStart === -1) elementStart = i;
        depth += 1;
        continue;
      }
      if (char === '}' || char === ']') {
        depth -= 1;
        if (depth < 0) throw new FeedSyntaxError('unbalanced brackets in the JSON document');
        if (depth === recordsDepth && elementStart !== -1) {
          element.push(chunk.slice(elementStart, i + 1));
          yield parseElement(element.join(''), position);
          position += 1;
          element = [];
          elementStart = -1;
        } else if (depth === recordsDepth - 1 && recordsDepth !== -1) {
          recordsDepth = -2; // the records array closed; ignore the rest of the envelope
        }
        continue;
      }
      if (depth === recordsDepth && elementStart === -1 && !/[\s,]/.test(char)) {
        // A scalar where a record should be (e.g. a number or null): reported as a bad record.
        let end = i;
        while (end < chunk.length && !/[\s,\]]/.test(chunk[end])) end += 1;
        yield { position, error: `record is ${chunk.slice(i, end)}, not an object` };
        position += 1;
        i = end - 1;
      }
    }
    if (elementStart !== -1) {
      element.push(chunk.slice(elementStart));
      elementStart = 0;
    }
  }
  if (rootKind === undefined) throw new FeedSyntaxError('the file holds no JSON document');
  if (depth !== 0 || inString) throw new FeedSyntaxError('the JSON document ends early (truncated file?)');
  if (recordsDepth === -1) throw new FeedSyntaxError(`the JSON document has no record array (a root array or "${RECORDS_KEY}")`);
}

function parseElement(text: string, position: number): StreamedElement {
  try {
    return { position, value: JSON.parse(text) };
  } catch (error) {
    return { position, error: `record is not valid JSON (${(error as Error).message})` };
  }
}
