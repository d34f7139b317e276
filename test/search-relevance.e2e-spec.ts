import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecallImporter } from '../src/recalls/import/recall-importer';
import { MAX_TEXT_RESULTS, TEXT_CANDIDATE_LIMIT } from '../src/recalls/search/recall-search';
import { SAMPLES_DIR } from './support/samples';
import { startTestApp } from './support/test-app';

/**
 * Text search ranks by relevance over every match, on SQLite and on PostgreSQL: an old recall whose name is the
 * query is found among hundreds of newer look-alikes; words written apart or together, regional and French words
 * and a brand with a generic word find their recall; text results page to MAX_TEXT_RESULTS with an honest total.
 * Invented brands and product words, so nothing else in the database can match.
 */
const template = (JSON.parse(readFileSync(join(SAMPLES_DIR, 'cpsc-recalls.json'), 'utf8')) as Array<Record<string, any>>)[0];
let nextNumber = 0;

function recall(name: string, date: string, description = ''): Record<string, any> {
  nextNumber += 1;
  return {
    ...template,
    RecallID: 900_000 + nextNumber,
    RecallNumber: `9${String(nextNumber).padStart(5, '0')}`,
    RecallDate: `${date}T00:00:00`,
    LastPublishDate: `${date}T00:00:00`,
    Title: `${name} Recalled`,
    Description: description,
    Products: [{ ...template.Products[0], Name: name, Model: '' }],
    Manufacturers: [],
    Retailers: [],
    Importers: [],
    Distributors: [],
  };
}

function dayOf(index: number, fromYear: number): string {
  return `${fromYear + (index % 6)}-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`;
}

const OLD_EXACT = recall('Quixo Dreamer Infant Sleeper', '2012-04-03');
const RECORDS = [
  OLD_EXACT,
  // Newer look-alikes: every word and many others, or most of the words.
  ...Array.from({ length: 300 }, (_, index) =>
    recall(`Quixo Dreamer Infant Sleeper Blanket Set with Pillow Mattress Pad and Mobile number ${index}`, dayOf(index, 2019)),
  ),
  ...Array.from({ length: 300 }, (_, index) => recall(`Quixo Dreamer Infant Bouncer number ${index}`, dayOf(index, 2020))),
  // Words written apart or together.
  recall('Vellmar Carseat Deluxe', '2014-02-02'),
  recall('Dunnock Car Seat', '2013-03-03'),
  recall('Zephyrbjorn Baby Carrier', '2015-05-05'),
  recall('Tamsin Drop Side Crib', '2011-06-06'),
  // Regional and French words.
  recall('Korrigan Pushchair', '2016-07-07'),
  recall('Brisca Pacifier Clip', '2016-08-08'),
  // A brand with a generic word it does not use, among newer rows of other brands with that word.
  recall('Zintra Alimentum Powder', '2010-09-09'),
  ...Array.from({ length: 250 }, (_, index) => recall(`Formula Maker Brand${String.fromCharCode(97 + (index % 26))}x Milk Formula ${index}`, dayOf(index, 2020))),
  // Many matches, for paging.
  ...Array.from({ length: 1100 }, (_, index) => recall(`Plovix Teether Ring number ${index}`, dayOf(index, 2000))),
  ...Array.from({ length: 30 }, (_, index) => recall(`Grummet Rattle number ${index}`, dayOf(index, 2000))),
  // Names holding the words, and more rows holding them only in their description.
  ...Array.from({ length: 60 }, (_, index) => recall(`Zubrak Bouncer number ${index}`, dayOf(index, 2001))),
  ...Array.from({ length: 200 }, (_, index) => recall(`Plain Seat number ${index}`, dayOf(index, 2002), 'Sold with a zubrak bouncer cover.')),
];

describe('search relevance over every match', () => {
  let app: NestFastifyApplication;
  const idOf = (record: Record<string, any>) => `CPSC-${record.RecallNumber}`;

  beforeAll(async () => {
    app = await startTestApp();
    const path = join(mkdtempSync(join(tmpdir(), 'babyshield-relevance-')), 'cpsc.json');
    writeFileSync(path, JSON.stringify(RECORDS));
    expect(await app.get(RecallImporter).importFile(path)).toMatchObject({ inserted: RECORDS.length, rejected: [] });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function search(payload: Record<string, unknown>): Promise<{ items: Array<{ id: string; relevanceScore: number }>; total: number; totalIsEstimate: boolean; hasMore: boolean; nextCursor: string | null }> {
    const response = await app.inject({ method: 'POST', url: '/api/v1/search/advanced', payload });
    expect(response.statusCode).toBe(200);
    return response.json().data;
  }
  const top = async (product: string, limit = 5) => (await search({ product, limit })).items.map((item) => item.id);

  it('finds an old recall whose name is the query first, among 600 newer look-alikes', async () => {
    expect((await top('quixo dreamer infant sleeper'))[0]).toBe(idOf(OLD_EXACT));
    expect((await top('quixo dreamer infant sleper'))[0]).toBe(idOf(OLD_EXACT));
  });

  it('matches words written together in the name when the query writes them apart, and the other way round', async () => {
    expect((await top('vellmar car seat'))[0]).toBe(idOf(RECORDS[601]));
    expect((await top('dunnock carseat'))[0]).toBe(idOf(RECORDS[602]));
    expect((await top('zephyr bjorn carrier'))[0]).toBe(idOf(RECORDS[603]));
    expect((await top('tamsin dropside crib'))[0]).toBe(idOf(RECORDS[604]));
    expect((await top('tamsin drop-side crib'))[0]).toBe(idOf(RECORDS[604]));
  });

  it('finds a recall by a regional or French word for its product', async () => {
    expect((await top('korrigan stroller'))[0]).toBe(idOf(RECORDS[605]));
    expect((await top('korrigan pram'))[0]).toBe(idOf(RECORDS[605]));
    expect((await top('poussette korrigan'))[0]).toBe(idOf(RECORDS[605]));
    expect((await top('brisca dummy clip'))[0]).toBe(idOf(RECORDS[606]));
    expect((await top('brisca sucette'))[0]).toBe(idOf(RECORDS[606]));
  });

  it('finds a brand with a generic word its recall does not use, among newer rows with the word', async () => {
    expect((await top('zintra formula'))[0]).toBe(idOf(RECORDS[607]));
    // Only the brand matches, of three words: still its recall rather than nothing.
    expect((await top('zintra lemonade fountain'))[0]).toBe(idOf(RECORDS[607]));
  });

  it('gives an exact total when every match was ranked', async () => {
    const page = await search({ product: 'grummet rattle', limit: 10 });
    expect(page).toMatchObject({ total: 30, totalIsEstimate: false, hasMore: true });
    const typo = await search({ product: 'grumet rattle', limit: 10 });
    expect(typo.totalIsEstimate || typo.total === 30).toBe(true);
    // 60 names and 200 descriptions: the first page ranks the names only, and says the total is more.
    expect(await search({ product: 'zubrak bouncer', limit: 10 })).toMatchObject({ totalIsEstimate: true, hasMore: true });
  });

  it(`pages through the first ${MAX_TEXT_RESULTS} of 1,100 matches by cursor, each once, in relevance order, the total flagged as an estimate`, async () => {
    const first = await search({ product: 'plovix teether', limit: 50 });
    expect(first.totalIsEstimate).toBe(true);
    expect(first.total).toBeGreaterThanOrEqual(TEXT_CANDIDATE_LIMIT * 0.9);
    const seen: Array<{ id: string; relevanceScore: number }> = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await search({ product: 'plovix teether', limit: 50, nextCursor: cursor });
      seen.push(...page.items);
      cursor = page.nextCursor;
    }
    // Every plovix recall scores alike; the candidates hold a few other teethers, ranked after them.
    expect(seen.length).toBeGreaterThanOrEqual(MAX_TEXT_RESULTS * 0.95);
    expect(seen.length).toBeLessThanOrEqual(MAX_TEXT_RESULTS);
    expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length);
    for (let i = 1; i < seen.length; i += 1) expect(seen[i].relevanceScore).toBeLessThanOrEqual(seen[i - 1].relevanceScore);
  });

  it('pages by cursor from the name matches into the description matches, each once, names first', async () => {
    const seen: Array<{ id: string; relevanceScore: number }> = [];
    let cursor: string | null = null;
    do {
      const page = await search({ product: 'zubrak bouncer', limit: 50, ...(cursor ? { nextCursor: cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(260);
    expect(new Set(seen.map((item) => item.id)).size).toBe(260);
    const names = new Set(RECORDS.filter((record) => record.Title.startsWith('Zubrak')).map(idOf));
    expect(seen.slice(0, 60).every((item) => names.has(item.id))).toBe(true);
  });

  it('answers a page past the first candidates by offset from the deeper ranking', async () => {
    const deep = await search({ product: 'plovix teether', limit: 50, offset: 900 });
    expect(deep.items).toHaveLength(50);
    expect(deep.total).toBeGreaterThanOrEqual(MAX_TEXT_RESULTS * 0.95);
    expect(deep.totalIsEstimate).toBe(true);
    const beyond = await search({ product: 'plovix teether', limit: 50, offset: MAX_TEXT_RESULTS });
    expect(beyond.items).toHaveLength(0);
  });
});
