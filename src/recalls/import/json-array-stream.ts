/**
 * Streams the elements of a feed's record array out of a JSON text read in chunks, so a 27 MB feed never has
 * to be held (or parsed) whole. The records are the root array's elements, or those of the root object's
 * "results" array (the openFDA and NHTSA envelopes). Each element's text is parsed on its own: a malformed
 * element is reported with its position and the rest still stream.
 */
export type StreamedElement =
  | { position: number; value: unknown; /** the element's JSON text, exactly as in the feed */ text?: string }
  | { position: number; error: string };

export class FeedSyntaxError extends Error {}

const RECORDS_KEY = 'results';
/** Inside a record only brackets and string starts matter; the scanner jumps between them. */
const STRUCTURAL = /["{}[\]]/g;

export async function* streamJsonRecords(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<StreamedElement> {
  let depth = 0;
  let inString = false;
  let escaped = false; // the previous chunk ended inside a string on a backslash
  let rootKind: '[' | '{' | undefined;
  let recordsDepth = -1; // depth inside which elements are records; -2 once that array has closed
  let element: string[] = [];
  let elementStart = -1; // chunk-relative start of the current element
  let position = 0;
  let lastKey = '';
  let keyBuffer: string[] | undefined;
  let stringRecord = false; // a string where a record should be
  let first = true;

  for await (const rawChunk of chunks) {
    let chunk = typeof rawChunk === 'string' ? rawChunk : rawChunk.toString('utf8');
    if (first) {
      first = false;
      chunk = chunk.replace(/^\uFEFF/, '');
    }
    let i = 0;
    while (i < chunk.length) {
      if (inString) {
        // A backslash that ended the previous chunk escapes this chunk's first character.
        const from = escaped ? i + 1 : i;
        escaped = false;
        const end = closingQuote(chunk, from);
        if (end === -1) {
          if (keyBuffer) keyBuffer.push(chunk.slice(i));
          escaped = endsInEscape(chunk, from);
          i = chunk.length;
          break;
        }
        if (keyBuffer) {
          keyBuffer.push(chunk.slice(i, end));
          lastKey = keyBuffer.join('');
          keyBuffer = undefined;
        }
        inString = false;
        i = end + 1;
        if (stringRecord) {
          stringRecord = false;
          yield { position, error: 'record is a string, not an object' };
          position += 1;
        }
        continue;
      }
      const betweenRecords = depth === recordsDepth && elementStart === -1;
      const char = chunk[i];
      if (!betweenRecords && depth > 1 && !(rootKind === '{' && depth === 1)) {
        // Inside a record (or deep in the envelope): jump to the next bracket or string.
        STRUCTURAL.lastIndex = i;
        const next = STRUCTURAL.exec(chunk);
        if (!next) {
          i = chunk.length;
          break;
        }
        i = next.index;
      }
      const structural = chunk[i];
      if (structural === '"') {
        inString = true;
        if (rootKind === '{' && depth === 1 && recordsDepth === -1) keyBuffer = [];
        if (depth === recordsDepth && elementStart === -1) stringRecord = true;
        i += 1;
        continue;
      }
      if (structural === '{' || structural === '[') {
        if (depth === 0) {
          rootKind = structural;
          if (structural === '[') recordsDepth = 1;
        } else if (rootKind === '{' && depth === 1 && structural === '[' && lastKey === RECORDS_KEY && recordsDepth === -1) {
          recordsDepth = 2;
          depth += 1;
          i += 1;
          continue;
        }
        if (depth === recordsDepth && elementStart === -1) elementStart = i;
        depth += 1;
        i += 1;
        continue;
      }
      if (structural === '}' || structural === ']') {
        depth -= 1;
        if (depth < 0) throw new FeedSyntaxError('unbalanced brackets in the JSON document');
        if (depth === recordsDepth && elementStart !== -1) {
          element.push(chunk.slice(elementStart, i + 1));
          yield parseElement(element.join(''), position);
          position += 1;
          element = [];
          elementStart = -1;
        } else if (depth === recordsDepth - 1 && recordsDepth > 0) {
          recordsDepth = -2; // the records array closed; ignore the rest of the envelope
        }
        i += 1;
        continue;
      }
      if (betweenRecords && !/[\s,]/.test(char)) {
        // A scalar where a record should be (e.g. a number or null): reported as a bad record.
        let end = i;
        while (end < chunk.length && !/[\s,\]]/.test(chunk[end])) end += 1;
        yield { position, error: `record is ${chunk.slice(i, end)}, not an object` };
        position += 1;
        i = end;
        continue;
      }
      i += 1;
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

/** Index of the quote closing a string that continues at `from`, or -1 if it does not close in this chunk. */
function closingQuote(chunk: string, from: number): number {
  let i = from;
  for (;;) {
    const quote = chunk.indexOf('"', i);
    if (quote === -1) return -1;
    let backslashes = 0;
    for (let j = quote - 1; j >= i && chunk[j] === '\\'; j -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

/** True when the string's text from `from` to the chunk's end stops on an unpaired backslash. */
function endsInEscape(chunk: string, from: number): boolean {
  let backslashes = 0;
  for (let j = chunk.length - 1; j >= from && chunk[j] === '\\'; j -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

function parseElement(text: string, position: number): StreamedElement {
  try {
    return { position, value: JSON.parse(text), text };
  } catch (error) {
    return { position, error: `record is not valid JSON (${(error as Error).message})` };
  }
}
