import { FeedSyntaxError, StreamedElement, streamJsonRecords } from './json-array-stream';

async function collect(text: string, chunkSize = 7): Promise<StreamedElement[]> {
  async function* chunks() {
    for (let i = 0; i < text.length; i += chunkSize) yield text.slice(i, i + chunkSize);
  }
  const out: StreamedElement[] = [];
  for await (const element of streamJsonRecords(chunks())) {
    // The element's own text comes along; it must be exactly the JSON of its value.
    if ('text' in element) {
      expect(JSON.parse(element.text!)).toEqual(element.value);
      const { text: _text, ...rest } = element;
      out.push(rest);
    } else out.push(element);
  }
  return out;
}

describe('streamJsonRecords', () => {
  it('yields the elements of a root array across chunk boundaries, strings with brackets included', async () => {
    const records = [{ a: 'x]y}"z', b: [1, { c: 2 }] }, { a: '\\"' }, { a: 'ends in a backslash \\' }, { nested: { deep: [[]] } }];
    for (const size of [1, 3, 7, 1000]) {
      const out = await collect('\uFEFF' + JSON.stringify(records, null, 1), size);
      expect(out).toEqual(records.map((value, position) => ({ position, value })));
    }
  });

  it('yields the elements of an envelope\'s "results" array and ignores the rest', async () => {
    const doc = { meta: { results: { total: 2 }, tags: ['results'] }, results: [{ id: 1 }, { id: 2 }], Count: 2 };
    expect(await collect(JSON.stringify(doc))).toEqual([
      { position: 0, value: { id: 1 } },
      { position: 1, value: { id: 2 } },
    ]);
  });

  it('reports a scalar where a record should be and goes on', async () => {
    expect(await collect('[{"a":1}, 42, null, "x]{", {"a":2}]')).toEqual([
      { position: 0, value: { a: 1 } },
      { position: 1, error: 'record is 42, not an object' },
      { position: 2, error: 'record is null, not an object' },
      { position: 3, error: 'record is a string, not an object' },
      { position: 4, value: { a: 2 } },
    ]);
  });

  it('refuses a truncated document and one with no record array', async () => {
    await expect(collect('[{"a":1},{"a"')).rejects.toThrow(FeedSyntaxError);
    await expect(collect('{"meta":{}}')).rejects.toThrow(/no record array/);
    await expect(collect('')).rejects.toThrow(/no JSON document/);
  });
});
