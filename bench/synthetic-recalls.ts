/**
 * Deterministic synthetic recalls in the agencies' own feed formats (CPSC, openFDA, NHTSA), so benchmarks load
 * data through the real import path. Record k of an agency is generated from (seed, agency, k) and the names
 * vocabulary alone: the same seed, row count and names mode always give the same records, whatever order or
 * batch they are produced in.
 *
 * Names modes: `default` recombines real juvenile-product brands and line names with invented ones (the load
 * benchmark's data since its first run); `distinct` uses invented brands and line names only, none of them equal
 * to a brand or firm of a real recall, so a search quality result over real recalls among synthetic ones can be
 * judged: a synthetic row never claims to be a real recall's product. Both use the same common product words.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFeedSource } from '../src/recalls/import/detect-feed-source';
import { streamJsonRecords } from '../src/recalls/import/json-array-stream';
import { FEED_MAPPERS, parseEuSafetyGateXml } from '../src/recalls/import/mappers';
import { RecallRecord, RecordRejectedError } from '../src/recalls/domain/recall-record';

/** mulberry32: a tiny seeded PRNG; the benchmark must never depend on Math.random. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed mixed from several integers (FNV-1a over their bytes). */
export function mixSeed(...parts: number[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    let value = part >>> 0;
    for (let byte = 0; byte < 4; byte += 1) {
      hash ^= value & 0xff;
      hash = Math.imul(hash, 0x01000193) >>> 0;
      value >>>= 8;
    }
  }
  return hash;
}

export class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Zipf-like pick: early items are much more common, as a few brands and product types dominate real feeds. */
  pickSkewed<T>(items: readonly T[], skew = 2.2): T {
    return items[Math.min(items.length - 1, Math.floor(Math.pow(this.next(), skew) * items.length))];
  }
  digits(count: number): string {
    let text = '';
    for (let i = 0; i < count; i += 1) text += String(this.int(0, 9));
    return text;
  }
  letters(count: number): string {
    let text = '';
    for (let i = 0; i < count; i += 1) text += String.fromCharCode(65 + this.int(0, 25));
    return text;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary. Ordered most common first (pickSkewed): baby products dominate, as in BabyShield's real data.

const REAL_BRANDS = [
  'Graco', 'Fisher-Price', 'Evenflo', 'Chicco', 'Britax', 'Summer Infant', 'Baby Trend', 'Dream On Me', 'Delta Children',
  'Kolcraft', 'Safety 1st', 'Munchkin', 'Boppy', 'Skip Hop', 'Nuby', 'Maxi-Cosi', 'Cybex', 'UPPAbaby', 'Joovy',
  'Infantino', 'Tommee Tippee', 'Playtex', "Dr. Brown's", 'Philips Avent', 'Halo', 'Nuna', 'Bugaboo', 'Peg Perego',
  'Ingenuity', 'Bright Starts', 'Little Tikes', 'VTech', 'LeapFrog', 'Melissa & Doug', 'Hape', 'Huffy', 'Radio Flyer',
  'Step2', 'Gerber', 'Similac', 'Enfamil', "Earth's Best", 'Happy Baby', 'Beech-Nut', 'Plum Organics', 'Ergobaby',
  'BabyBjorn', 'Contours', 'Diono', 'Clek', 'Storkcraft', 'Simmons Kids', 'Babyletto', 'Stokke', 'Oxo Tot', 'Boon',
  'Medela', 'Lansinoh', 'Owlet', 'Nanit', 'Angelcare', 'Motorola Baby', 'Jool Baby', 'Lalo', 'Hatch', 'KidCo',
  'Regalo', 'North States', 'Cosco', 'Dorel Juvenile', 'Mamas & Papas', 'Silver Cross', 'Thule', 'Bob Gear',
  'Baby Jogger', 'Zoe', 'Kinderkraft', 'Joie', 'Hauck', 'Safety Kids',
];
const BRAND_PREFIXES = [
  'Little', 'Happy', 'Sunny', 'Tiny', 'Bright', 'Cozy', 'Gentle', 'Sweet', 'Snug', 'Blue', 'Wonder', 'Star', 'Moon',
  'Kiddo', 'Bebe', 'Maple', 'Cloud', 'Lullaby', 'Honey', 'Peanut',
];
const BRAND_SUFFIXES = ['Sprout', 'Nest', 'Steps', 'Kids', 'Baby', 'Bear', 'Bee', 'Owl', 'Cradle', 'Tots', 'Haven'];
const FIRM_SUFFIXES = ['Inc.', 'LLC', 'Corporation', 'Co.', 'USA Inc.', 'Products LLC', 'International', 'Brands Inc.'];

/** 300 brands: real juvenile-product names first, then invented ones made of common words. */
export const BRANDS: readonly string[] = (() => {
  const brands = [...REAL_BRANDS];
  for (const suffix of BRAND_SUFFIXES) for (const prefix of BRAND_PREFIXES) brands.push(`${prefix} ${suffix}`);
  return brands.slice(0, 300);
})();

// Distinct mode: words no real brand in the vocabulary above starts with, combined the same way.
const DISTINCT_BRAND_PREFIXES = [
  'Willow', 'Acorn', 'Pebble', 'Clover', 'Puddle', 'Button', 'Meadow', 'Breeze', 'Juniper', 'Marigold', 'Poppy',
  'Bramble', 'Thistle', 'Hazel', 'Fern', 'Birch', 'Otter', 'Wren', 'Robin', 'Finch', 'Larkspur', 'Dewdrop', 'Nutmeg',
  'Pippin', 'Quill', 'Tansy', 'Sorrel', 'Cobble', 'Mossy', 'Tumble',
];
const DISTINCT_BRAND_SUFFIXES = ['Sprout', 'Nest', 'Steps', 'Kids', 'Baby', 'Bear', 'Bee', 'Owl', 'Cradle', 'Tots', 'Haven', 'Nursery'];
/** Invented line names: a real line (SnugRide, Rock n Play) on a synthetic row would claim a real recall's product. */
const DISTINCT_LINE_NAMES = [
  'Snugway', 'Cozyloop', 'Dreamfold', 'Tumblenest', 'Quietglide', 'Hushbay', 'Comfyarc', 'Nestwell', 'Slumberloop',
  'Softstride', 'Gentlesway', 'Roamwell', 'Lullwick', 'Calmcove', 'Drowsy Dune', 'Pillowpath', 'Cuddlecrest',
  'Tinytrek', 'Brightbough', 'Mellowmoor', 'Snoozedale', 'Huggleby', 'Nappington', 'Wobblewood', 'Dozyvale',
  'Cradlecrest', 'Sleepyridge', 'Wanderwisp',
];

/** Brands, firm names and line names a generator draws from. */
export interface SyntheticVocabulary {
  mode: NamesMode;
  brands: readonly string[];
  lineNames: readonly string[];
}

export const NAMES_MODES = ['default', 'distinct'] as const;
export type NamesMode = (typeof NAMES_MODES)[number];

const CORPORATE_WORDS = new Set([
  'inc', 'incorporated', 'llc', 'ltd', 'limited', 'co', 'corp', 'corporation', 'company', 'companies', 'gmbh', 'ag', 'sa',
  'sas', 'srl', 'bv', 'plc', 'pty', 'usa', 'us', 'international', 'intl', 'products', 'brands', 'group', 'the',
]);

/**
 * The comparable core of a brand or firm name: lower case, accents and punctuation dropped, corporate words
 * ("Inc.", "LLC", "Products", "USA") removed, and a trailing ", of City" location cut off.
 * "Graco Children's Products Inc., of Atlanta" -> "graco childrens".
 */
export function normalizedName(name: string): string {
  const withoutLocation = name.replace(/,\s*(?:of|in)\s.*$/i, '');
  return withoutLocation
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '' && !CORPORATE_WORDS.has(word))
    .join(' ');
}

/** True when a synthetic name would read as one of the real names (same core, or the real core starts with it). */
export function clashesWithRealName(name: string, realNames: ReadonlySet<string>): boolean {
  const core = normalizedName(name);
  if (core === '' || realNames.has(core)) return true;
  for (const real of realNames) if (real.startsWith(`${core} `)) return true;
  return false;
}

/**
 * The distinct-mode vocabulary: 300 invented brands in a fixed order, minus any whose name (alone or as a firm,
 * "<brand> Inc.") clashes with `realNames` (normalized brands and firms of real recalls) or with a real brand of
 * the default vocabulary. Depends only on its arguments, so generation stays deterministic for the same files.
 */
export function distinctVocabulary(realNames: ReadonlySet<string>): SyntheticVocabulary {
  const forbidden = new Set([...realNames, ...REAL_BRANDS.map(normalizedName)]);
  const brands: string[] = [];
  for (const suffix of DISTINCT_BRAND_SUFFIXES) {
    for (const prefix of DISTINCT_BRAND_PREFIXES) {
      const brand = `${prefix} ${suffix}`;
      if (!clashesWithRealName(brand, forbidden) && !FIRM_SUFFIXES.some((firm) => clashesWithRealName(`${brand} ${firm}`, forbidden))) brands.push(brand);
    }
  }
  if (brands.length < 100) throw new Error(`only ${brands.length} invented brands are free of real names`);
  const lineNames = DISTINCT_LINE_NAMES.filter((line) => !clashesWithRealName(line, forbidden));
  return { mode: 'distinct', brands: brands.slice(0, 300), lineNames };
}

/** Real-recall files whose names distinct mode must avoid: the sample feeds and the search-quality corpus. */
export const REAL_RECALL_DIRS = [join(__dirname, '..', 'data', 'samples'), join(__dirname, '..', 'test', 'search-quality', 'corpus')];

/** Normalized brand and manufacturer of every record in the feed files (*.json, *.xml) of `dirs`, mapped as the importer maps them. */
export async function realRecallNames(dirs: readonly string[] = REAL_RECALL_DIRS): Promise<Set<string>> {
  const names = new Set<string>();
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((name) => /\.(json|xml)$/i.test(name)).sort()) {
      const text = readFileSync(join(dir, file), 'utf8');
      const source = detectFeedSource(text.slice(0, 65_536));
      if (!source) throw new Error(`${join(dir, file)}: unknown feed format`);
      const values: unknown[] = [];
      if (source === 'eu-safety-gate') values.push(...parseEuSafetyGateXml(text));
      else for await (const element of streamJsonRecords(chunksOf(text))) if (!('error' in element)) values.push(element.value);
      for (const value of values) {
        let record: RecallRecord;
        try {
          record = FEED_MAPPERS[source].map(value);
        } catch (error) {
          if (error instanceof RecordRejectedError) continue; // never becomes a recall
          throw error;
        }
        for (const name of [record.brand, record.manufacturer]) {
          const core = name ? normalizedName(name) : '';
          if (core) names.add(core);
        }
      }
    }
  }
  return names;
}

async function* chunksOf(text: string): AsyncGenerator<string> {
  yield text;
}

/** The vocabulary of a names mode; distinct mode reads the real-recall files first. */
export async function vocabularyFor(mode: NamesMode): Promise<SyntheticVocabulary> {
  return mode === 'distinct' ? distinctVocabulary(await realRecallNames()) : DEFAULT_VOCABULARY;
}

interface ProductType {
  name: string;
  plural: string;
  category: 'baby' | 'toy' | 'home' | 'food' | 'drug' | 'device';
}

function types(category: ProductType['category'], names: string[]): ProductType[] {
  return names.map((name) => ({
    name,
    plural: /(?:ss|sh|ch|x)$/.test(name) ? `${name}es` : /[^aeiou]y$/.test(name) ? `${name.slice(0, -1)}ies` : `${name}s`,
    category,
  }));
}

/** 150 consumer product types (CPSC and NHTSA records). */
export const PRODUCT_TYPES: readonly ProductType[] = [
  ...types('baby', [
    'Infant Car Seat', 'Baby Stroller', 'Convertible Car Seat', 'Crib', 'High Chair', 'Infant Sleeper', 'Bassinet',
    'Baby Bouncer', 'Play Yard', 'Baby Swing', 'Booster Seat', 'Baby Carrier', 'Baby Walker', 'Infant Seat',
    'Baby Monitor', 'Pacifier', 'Teether', 'Baby Bottle', 'Bath Seat', 'Changing Table', 'Baby Gate', 'Toddler Bed',
    'Jogging Stroller', 'Travel System', 'Infant Rocker', 'Baby Lounger', 'Nursing Pillow', 'Crib Mattress',
    'Crib Bumper', 'Sleep Sack', 'Baby Blanket', 'Baby Sling', 'Activity Center', 'Jumper', 'Sippy Cup',
    'Bottle Warmer', 'Baby Bath Tub', 'Diaper Pail', 'Diaper Bag', 'Baby Food Maker', 'Portable Crib',
    'Bedside Sleeper', 'Bunk Bed', 'Toddler Car Seat', 'Infant Bath Sling', 'Baby Hammock', 'Double Stroller',
    'Umbrella Stroller', 'Stroller Frame', 'Car Seat Base', 'Highback Booster Seat', 'Infant Swing', 'Baby Gym',
    'Play Mat', 'Teething Necklace', 'Pacifier Clip', 'Baby Headband', 'Baby Shoe', 'Infant Sleepwear',
    'Children\'s Pajama', 'Baby Onesie', 'Hooded Towel', 'Breast Pump', 'Nasal Aspirator', 'Baby Thermometer',
    'Night Light', 'Sound Machine', 'Rocking Chair', 'Glider', 'Dresser',
  ]),
  ...types('toy', [
    'Ride-On Toy', 'Stacking Toy', 'Rattle', 'Plush Toy', 'Activity Cube', 'Building Block Set', 'Toy Car', 'Doll',
    'Teddy Bear', 'Push Toy', 'Pull Toy', 'Bath Toy', 'Musical Toy', 'Shape Sorter', 'Play Kitchen', 'Tricycle',
    'Balance Bike', 'Scooter', 'Wagon', 'Rocking Horse', 'Toy Chest', 'Magnetic Building Set', 'Slime Kit',
    'Crayon Set', 'Water Bead Kit', 'Squishy Toy', 'Fidget Spinner', 'Toy Drum', 'Toy Phone', 'Play Tent',
    'Climbing Dome', 'Swing Set', 'Trampoline', 'Sandbox', 'Kids Helmet', 'Kids Bicycle', 'Remote Control Car',
    'Puzzle', 'Board Book', 'Art Easel',
  ]),
  ...types('home', [
    'Space Heater', 'Hair Dryer', 'Window Blind', 'Dresser Drawer', 'Bookcase', 'Table Lamp', 'Extension Cord',
    'Power Bank', 'Humidifier', 'Air Purifier', 'Ceiling Fan', 'Pressure Cooker', 'Electric Kettle', 'Blender',
    'Slow Cooker', 'Coffee Maker', 'Toaster Oven', 'Air Fryer', 'Candle', 'Weighted Blanket', 'Portable Charger',
    'Smoke Alarm', 'Step Stool', 'Folding Chair', 'Bean Bag Chair', 'Wall Shelf', 'TV Stand', 'Mattress',
    'Bed Rail', 'Adult Portable Bed Rail', 'Pool Drain Cover', 'Lawn Mower', 'Garden Hose', 'Drain Cleaner',
    'Laundry Pod', 'Cleaning Spray', 'Lighter', 'Battery Charger', 'Fire Extinguisher', 'Water Bottle',
  ]),
];

export const ADJECTIVES = [
  'Deluxe', 'Classic', 'Premium', 'Compact', 'Portable', 'Lightweight', 'Convertible', 'Adjustable', 'Folding',
  'Organic', 'Soft', 'Cozy', 'Smart', 'Travel', 'Ultra', 'Plus', 'Sport', 'Comfort', 'Essential', 'Grow-With-Me',
  'All-in-One', '3-in-1', '2-in-1', 'Musical', 'Vibrating', 'Wooden', 'Padded', 'Reclining', 'Rocking', 'Glow',
];
export const COLOURS = [
  'Gray', 'White', 'Black', 'Blue', 'Pink', 'Navy', 'Beige', 'Green', 'Red', 'Yellow', 'Teal', 'Charcoal', 'Mint',
  'Lavender', 'Ivory', 'Grey Heather', 'Sand', 'Coral', 'Sage', 'Oatmeal',
];
const LINE_NAMES = [
  'SnugRide', 'TurboBooster', '4Ever', 'Extend2Fit', 'Pack n Play', 'Rock n Play', 'SlumberTime', 'DreamNest', 'Nautilus',
  'Marathon', 'KeyFit', 'Bravo', 'Vista', 'Cruz', 'Pipa', 'Mamaroo', 'Comfy Cradle', 'Sit n Stand', 'Duo Glider',
  'EveryWay', 'Snuggle', 'Cloud Nine', 'Starlight', 'Little Lamb', 'Sweet Dreams', 'Jetset', 'Metro', 'Trekker',
];

export const DEFAULT_VOCABULARY: SyntheticVocabulary = { mode: 'default', brands: BRANDS, lineNames: LINE_NAMES };

interface Hazard {
  short: string;
  title: string;
  sentence: (product: string) => string;
  injury: string;
}

const HAZARDS: readonly Hazard[] = [
  { short: 'fall', title: 'Fall Hazard', sentence: (p) => `The ${p} can tip over or collapse, posing a fall hazard to infants.`, injury: 'reports of infants falling, including bumps and bruises' },
  { short: 'suffocation', title: 'Suffocation Hazard', sentence: (p) => `Infants can roll over in the ${p} and become entrapped, posing a suffocation hazard.`, injury: 'reports of infant deaths' },
  { short: 'choking', title: 'Choking Hazard', sentence: (p) => `Small parts can detach from the ${p}, posing a choking hazard to young children.`, injury: 'reports of small parts detaching' },
  { short: 'entrapment', title: 'Entrapment Hazard', sentence: (p) => `A child's head can become entrapped between the slats of the ${p}, posing entrapment and strangulation hazards.`, injury: 'reports of entrapment' },
  { short: 'strangulation', title: 'Strangulation Hazard', sentence: (p) => `The cord on the ${p} can wrap around a child's neck, posing a strangulation hazard.`, injury: 'reports of near-strangulation' },
  { short: 'laceration', title: 'Laceration Hazard', sentence: (p) => `The hinge on the ${p} can pinch or cut a child's finger, posing laceration and amputation hazards.`, injury: 'reports of fingertip lacerations' },
  { short: 'burn', title: 'Burn Hazard', sentence: (p) => `The ${p} can overheat, posing burn and fire hazards.`, injury: 'reports of overheating, including minor burns' },
  { short: 'fire', title: 'Fire Hazard', sentence: (p) => `The battery in the ${p} can overheat and ignite, posing a fire hazard.`, injury: 'reports of smoke and melting' },
  { short: 'tip-over', title: 'Tip-Over Hazard', sentence: (p) => `The ${p} is unstable if not anchored to the wall, posing serious tip-over and entrapment hazards that can result in death or injuries to children.`, injury: 'reports of tip-overs' },
  { short: 'lead', title: 'Violation of Federal Lead Paint Ban', sentence: (p) => `The surface paint on the ${p} contains levels of lead that exceed the federal lead paint ban.`, injury: 'no reports of injuries' },
  { short: 'ingestion', title: 'Ingestion Hazard', sentence: (p) => `The ${p} contains small, high-powered magnets that can be swallowed, posing an ingestion hazard.`, injury: 'reports of magnet ingestion requiring surgery' },
  { short: 'crash', title: 'Injury Hazard', sentence: (p) => `The harness buckle of the ${p} may not hold in a crash, increasing the risk of injury to the child.`, injury: 'reports of the buckle releasing' },
  { short: 'poisoning', title: 'Poisoning Hazard', sentence: (p) => `The ${p} is not in child-resistant packaging as required by the Poison Prevention Packaging Act, posing a risk of poisoning if swallowed by young children.`, injury: 'no reports of injuries' },
  { short: 'shock', title: 'Shock Hazard', sentence: (p) => `The charger supplied with the ${p} can overheat and short, posing electric shock and burn hazards.`, injury: 'reports of sparking' },
  { short: 'drowning', title: 'Drowning Hazard', sentence: (p) => `The ${p} can tip over in the bathtub, posing a drowning hazard to infants.`, injury: 'reports of the seat tipping' },
];

const REMEDIES = [
  'Consumers should immediately stop using the recalled product and contact the firm for a full refund.',
  'Consumers should immediately stop using the recalled product and contact the firm for a free repair kit.',
  'Consumers should immediately take the recalled product away from children and contact the firm for a free replacement.',
  'Consumers should stop using the product and return it to any store for a full refund.',
];
const RETAILERS = ['Walmart', 'Target', 'Amazon.com', 'buybuy BABY', 'Kohl\'s', 'Costco', 'Babies R Us', 'Burlington', 'TJ Maxx', 'Wayfair'];
const CITIES = ['Atlanta, Georgia', 'Columbus, Ohio', 'Miamisburg, Ohio', 'New York, New York', 'Los Angeles, California', 'Chicago, Illinois', 'Seattle, Washington', 'Dallas, Texas', 'Boston, Massachusetts', 'Denver, Colorado'];
const MANUFACTURE_COUNTRIES = ['China', 'Vietnam', 'United States', 'Mexico', 'Taiwan', 'India', 'Thailand', 'Indonesia'];

/** openFDA: foods, drugs and devices a parent buys for a baby. */
const FDA_PRODUCTS: ReadonlyArray<{ name: string; type: 'Food' | 'Drugs' | 'Devices'; packages: string[] }> = [
  { name: 'Infant Formula Powder', type: 'Food', packages: ['12.4 oz. can', '30.8 oz. tub', '638g. plastic jar'] },
  { name: 'Organic Baby Food Puree', type: 'Food', packages: ['4 oz. pouch', '3.5 oz. pouch', '4 oz. glass jar'] },
  { name: 'Baby Rice Cereal', type: 'Food', packages: ['8 oz. box', '16 oz. canister'] },
  { name: 'Teething Wafers', type: 'Food', packages: ['1.7 oz. box', '12 count carton'] },
  { name: 'Toddler Snack Puffs', type: 'Food', packages: ['1.48 oz. canister', '2.1 oz. bag'] },
  { name: 'Apple Cinnamon Fruit Pouch', type: 'Food', packages: ['3.2 oz. pouch'] },
  { name: 'Liquid Infant Formula', type: 'Food', packages: ['2 fl oz. bottle', '32 fl oz. bottle'] },
  { name: 'Yogurt Melts', type: 'Food', packages: ['1 oz. bag'] },
  { name: 'Infants\' Acetaminophen Oral Suspension', type: 'Drugs', packages: ['1 fl oz. bottle', '2 fl oz. bottle'] },
  { name: 'Children\'s Ibuprofen Suspension', type: 'Drugs', packages: ['4 fl oz. bottle'] },
  { name: 'Baby Gas Relief Drops', type: 'Drugs', packages: ['1 fl oz. bottle'] },
  { name: 'Diaper Rash Cream', type: 'Drugs', packages: ['4 oz. tube', '16 oz. jar'] },
  { name: 'Baby Sunscreen Lotion SPF 50', type: 'Drugs', packages: ['3 fl oz. tube'] },
  { name: 'Infant Vitamin D Drops', type: 'Drugs', packages: ['0.34 fl oz. bottle'] },
  { name: 'Saline Nasal Drops', type: 'Drugs', packages: ['1 fl oz. bottle'] },
  { name: 'Digital Baby Thermometer', type: 'Devices', packages: ['1 unit per box'] },
  { name: 'Electric Breast Pump', type: 'Devices', packages: ['1 kit per box'] },
  { name: 'Infant Nasal Aspirator', type: 'Devices', packages: ['1 unit per blister pack'] },
  { name: 'Baby Pulse Oximeter Sock', type: 'Devices', packages: ['1 kit per box'] },
];
const FDA_REASONS = [
  'Product may be contaminated with Cronobacter sakazakii',
  'Potential contamination with Listeria monocytogenes',
  'Product may be contaminated with Salmonella',
  'Elevated levels of lead found in the product',
  'Product contains undeclared milk allergen',
  'Presence of foreign material (plastic pieces) in the product',
  'Microbial contamination: product found to contain Burkholderia cepacia',
  'Superpotent: the product contains more than the labeled amount of active ingredient',
  'Incorrect dosing cup markings could lead to overdose in infants',
  'Device may give inaccurate readings',
  'Battery may overheat during charging',
  'Elevated levels of inorganic arsenic',
];
const US_STATES = ['IL', 'OH', 'CA', 'NY', 'TX', 'MI', 'NJ', 'PA', 'GA', 'WA', 'MN', 'VT'];

const NHTSA_COMPONENTS = ['CHILD SEAT', 'CHILD SEAT:BUCKLE ASSEMBLY', 'CHILD SEAT:HARNESS', 'CHILD SEAT:LATCH', 'EQUIPMENT', 'CHILD SEAT:SHELL', 'CHILD SEAT:LABELS'];
const NHTSA_CONSEQUENCES = [
  'In the event of a crash, the child may not be properly restrained, increasing the risk of injury.',
  'In the event of a vehicle crash, an unoccupied and unsecured child restraint may strike other occupants and cause injury.',
  'If the harness cannot be released in an emergency, the child may be delayed in exiting the vehicle, increasing the risk of injury.',
  'A seat that is not installed correctly may not properly protect the child in a crash.',
];
const NHTSA_DEFECTS = [
  'the harness chest clip may break',
  'the buckle may be difficult to unlatch',
  'the instructions are missing the information that the seats should be securely belted to the vehicle',
  'the seat shell may crack under load',
  'the labels contain an incorrect weight limit',
  'the lower anchor connectors may not lock onto the vehicle anchors',
];

// ---------------------------------------------------------------------------------------------------------------
// Identifiers

/** GS1 mod-10 check digit for a body of digits (weights 3,1,3,... from the right). */
export function gs1CheckDigit(body: string): string {
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) {
    const digit = Number(body[body.length - 1 - position]);
    sum += position % 2 === 0 ? digit * 3 : digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A UPC-A whose company prefix belongs to the brand, so a brand's products share a prefix as real ones do. */
function upcFor(random: Random, brandIndex: number): string {
  const body = `0${String(10_000 + brandIndex * 131).padStart(5, '0').slice(-5)}${random.digits(5)}`;
  return body + gs1CheckDigit(body);
}

function ean13For(random: Random, brandIndex: number): string {
  const body = `0${String(700_000 + brandIndex * 97).slice(-6)}${random.digits(5)}`;
  return body + gs1CheckDigit(body);
}

/** Model numbers in the shapes feeds use: 55061, 4M-005, ABC123, KG-2201-BL, T-100.2, 1967886, PM60. */
export function modelNumber(random: Random): string {
  switch (random.int(0, 6)) {
    case 0: return random.digits(5);
    case 1: return `${random.int(1, 9)}${random.letters(1)}-${random.digits(3)}`;
    case 2: return `${random.letters(3)}${random.digits(3)}`;
    case 3: return `${random.letters(2)}-${random.digits(4)}-${random.pick(['BL', 'GR', 'PK', 'WH', 'BK'])}`;
    case 4: return `${random.letters(1)}-${random.digits(3)}.${random.int(1, 9)}`;
    case 5: return `19${random.digits(5)}`;
    default: return `${random.letters(2)}${random.digits(2)}`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Records

export type SyntheticAgency = 'cpsc' | 'openfda' | 'nhtsa';
const AGENCY_SALT: Record<SyntheticAgency, number> = { cpsc: 1, openfda: 2, nhtsa: 3 };

const FIRST_DAY = Date.UTC(1996, 0, 1);
const LAST_DAY = Date.UTC(2025, 11, 31);
const DAY_MS = 86_400_000;

function recallDay(random: Random): Date {
  // Recent years have more recalls, as in the real feeds.
  const span = (LAST_DAY - FIRST_DAY) / DAY_MS;
  return new Date(FIRST_DAY + Math.floor(Math.pow(random.float(), 0.7) * span) * DAY_MS);
}

const iso = (date: Date) => date.toISOString().slice(0, 10);
const compact = (date: Date) => iso(date).replace(/-/g, '');
const dayFirst = (date: Date) => `${iso(date).slice(8, 10)}/${iso(date).slice(5, 7)}/${iso(date).slice(0, 4)}`;
const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
const firmName = (brand: string, random: Random) => `${brand} ${random.pick(FIRM_SUFFIXES)}`;

function productName(random: Random, brand: string, type: ProductType, lineNames: readonly string[]): string {
  const parts = [brand];
  if (random.chance(0.35)) parts.push(random.pick(lineNames));
  if (random.chance(0.6)) parts.push(random.pick(ADJECTIVES));
  if (random.chance(0.25)) parts.push(random.pick(COLOURS));
  parts.push(type.name);
  return parts.join(' ');
}

/** Record `index` (0-based) of the CPSC SaferProducts format. */
export function cpscRecord(seed: number, index: number, vocabulary = DEFAULT_VOCABULARY): Record<string, unknown> {
  const random = new Random(mixSeed(seed, AGENCY_SALT.cpsc, index));
  const { brands } = vocabulary;
  const brandIndex = brands.indexOf(random.pickSkewed(brands, 1.8));
  const brand = brands[brandIndex];
  const productCount = random.chance(0.85) ? 1 : random.int(2, 3);
  const productTypes = Array.from({ length: productCount }, () => random.pickSkewed(PRODUCT_TYPES, 2));
  const names = productTypes.map((type) => productName(random, brand, type, vocabulary.lineNames));
  const hazard = random.pick(HAZARDS);
  const date = recallDay(random);
  const published = new Date(date.getTime() + random.int(0, 30) * DAY_MS);
  const models = productTypes.map(() => Array.from({ length: random.int(1, 4) }, () => modelNumber(random)));
  const upcs = random.chance(0.6) ? Array.from({ length: random.int(1, 3) }, () => upcFor(random, brandIndex)) : [];
  const recallNumber = `S${seedTag(seed, vocabulary)}-${String(index + 1).padStart(7, '0')}`;
  const title = `${firmName(brand, random)} Recalls ${productTypes[0].plural} Due to ${hazard.title}`;
  const units = `About ${random.int(1, 900) * (random.chance(0.5) ? 1000 : 100)}`;
  const colours = [random.pick(COLOURS), random.pick(COLOURS)];
  const description =
    `This recall involves ${names.join(' and ')}. ` +
    `The ${productTypes[0].name.toLowerCase()} was sold in ${colours[0].toLowerCase()} and ${colours[1].toLowerCase()}. ` +
    `The model number${models[0].length > 1 ? 's are' : ' is'} ${models[0].join(', ')}, printed on a label on the ${random.pick(['bottom', 'back', 'underside of the seat', 'frame'])}. ` +
    `${hazard.sentence(productTypes[0].name.toLowerCase())}`;
  const retailer = random.pick(RETAILERS);
  return {
    RecallID: 100_000 + index,
    RecallNumber: recallNumber,
    RecallDate: `${iso(date)}T00:00:00`,
    Description: description,
    URL: `https://www.cpsc.gov/Recalls/${date.getUTCFullYear()}/${slug(title)}`,
    Title: title,
    ConsumerContact: `${brand} toll-free at 800-${random.digits(3)}-${random.digits(4)} from 8 a.m. to 5 p.m. ET Monday through Friday.`,
    LastPublishDate: `${iso(published)}T00:00:00`,
    Products: productTypes.map((type, i) => ({
      Name: names[i],
      Description: '',
      Model: models[i].join(', '),
      Type: type.category === 'toy' ? 'Toys' : type.category === 'baby' ? 'Nursery Products' : 'Household',
      CategoryID: '',
      NumberOfUnits: units,
    })),
    Inconjunctions: random.chance(0.1) ? [{ URL: 'https://recalls-rappels.canada.ca/en' }] : [],
    Images: [{ URL: `https://www.cpsc.gov/s3fs-public/${slug(brand).toLowerCase()}-${index + 1}.jpg`, Caption: `Recalled ${names[0]}` }],
    Injuries: [{ Name: `The firm has received ${random.int(0, 120)} ${hazard.injury}.` }],
    Manufacturers: random.chance(0.5) ? [{ Name: `${firmName(brand, random)}, of ${random.pick(CITIES)}`, CompanyID: '' }] : [],
    Retailers: [{ Name: `Sold at ${retailer} stores nationwide and online from ${date.getUTCFullYear() - 1} through ${date.getUTCFullYear()} for about $${random.int(10, 400)}.`, CompanyID: '' }],
    Importers: random.chance(0.5) ? [{ Name: `${firmName(brand, random)}, of ${random.pick(CITIES)}`, CompanyID: '' }] : [],
    Distributors: [],
    SoldAtLabel: null,
    ManufacturerCountries: [{ Country: random.pick(MANUFACTURE_COUNTRIES) }],
    ProductUPCs: upcs.map((upc) => ({ UPC: upc })),
    Hazards: [{ Name: hazard.sentence(productTypes[0].name.toLowerCase()), HazardType: '', HazardTypeID: '' }],
    Remedies: [{ Name: random.pick(REMEDIES) }],
    RemedyOptions: [{ Option: random.pick(['Refund', 'Repair', 'Replace']) }],
  };
}

/** Record `index` of an openFDA enforcement report's `results`. */
export function openFdaRecord(seed: number, index: number, vocabulary = DEFAULT_VOCABULARY): Record<string, unknown> {
  const random = new Random(mixSeed(seed, AGENCY_SALT.openfda, index));
  const { brands } = vocabulary;
  const brandIndex = brands.indexOf(random.pickSkewed(brands, 1.8));
  const brand = brands[brandIndex];
  const product = random.pickSkewed(FDA_PRODUCTS, 1.6);
  const initiated = recallDay(random);
  const reported = new Date(initiated.getTime() + random.int(5, 60) * DAY_MS);
  const classified = new Date(reported.getTime() + random.int(0, 40) * DAY_MS);
  const terminated = random.chance(0.4) ? new Date(classified.getTime() + random.int(100, 900) * DAY_MS) : undefined;
  const upcs = Array.from({ length: random.int(0, 3) }, () => ean13For(random, brandIndex));
  const prefix = product.type === 'Food' ? 'F' : product.type === 'Drugs' ? 'D' : 'Z';
  const descriptor = random.chance(0.5) ? `${random.pick(ADJECTIVES)} ` : '';
  const lots = Array.from({ length: random.int(1, 4) }, () => `${random.digits(5)}${random.letters(2)}${random.digits(1)}`);
  return {
    status: terminated ? 'Terminated' : 'Ongoing',
    city: random.pick(CITIES).split(',')[0],
    state: random.pick(US_STATES),
    country: 'United States',
    classification: random.pickSkewed(['Class II', 'Class I', 'Class III'], 1.3),
    openfda: random.chance(0.5) ? { brand_name: [brand], upc: upcs.slice(0, 1) } : {},
    product_type: product.type,
    event_id: String(50_000 + index),
    recalling_firm: firmName(brand, random),
    voluntary_mandated: random.chance(0.9) ? 'Voluntary: Firm initiated' : 'FDA Mandated',
    initial_firm_notification: random.pick(['Letter', 'Press Release', 'E-Mail', 'Telephone']),
    distribution_pattern: random.chance(0.7) ? 'US Nationwide' : `${random.pick(US_STATES)}, ${random.pick(US_STATES)} and Canada`,
    recall_number: `${prefix}-${String(index + 1).padStart(7, '0')}-S${seedTag(seed, vocabulary)}`,
    product_description: `${brand} ${descriptor}${product.name}, ${random.pick(product.packages)}. ${random.int(6, 48)} units per case.${upcs.length ? ` UPC ${upcs.join(', ')}` : ''}`,
    product_quantity: `${random.int(100, 200_000)} cases`,
    reason_for_recall: random.pick(FDA_REASONS),
    recall_initiation_date: compact(initiated),
    center_classification_date: compact(classified),
    ...(terminated ? { termination_date: compact(terminated) } : {}),
    report_date: compact(reported),
    code_info: `Lot #: ${lots.join(', ')}; Exp. ${iso(new Date(initiated.getTime() + 500 * DAY_MS))}`,
  };
}

/** Row `index` of an NHTSA recalls response's `results` (child restraints and equipment). */
export function nhtsaRecord(seed: number, index: number, vocabulary = DEFAULT_VOCABULARY): Record<string, unknown> {
  const random = new Random(mixSeed(seed, AGENCY_SALT.nhtsa, index));
  const brand = random.pickSkewed(vocabulary.brands.slice(0, 80), 1.5);
  const line = random.pick(vocabulary.lineNames);
  const received = recallDay(random);
  const models = Array.from({ length: random.int(1, 5) }, () => `${random.digits(7)}`);
  const childSeat = random.chance(0.85);
  const campaign = `${String(received.getUTCFullYear()).slice(2)}${childSeat ? 'C' : 'E'}${String(index + 1).padStart(6, '0')}S${seedTag(seed, vocabulary)}`;
  const seatType = random.pick(['infant car seats', 'convertible car seats', 'booster seats', 'all-in-one car seats', 'harness booster seats']);
  const defect = random.pick(NHTSA_DEFECTS);
  const start = new Date(received.getTime() - random.int(90, 700) * DAY_MS);
  return {
    Manufacturer: `${brand} ${random.pick(FIRM_SUFFIXES)}`,
    NHTSACampaignNumber: campaign,
    ReportReceivedDate: random.chance(0.95) ? dayFirst(received) : '',
    Component: random.pick(NHTSA_COMPONENTS),
    Summary: `${brand} ${line} ${seatType}, models ${models.join(', ')}, manufactured between ${iso(start)} and ${iso(received)}. In the affected seats, ${defect}. As such, these seats fail to comply with the requirements of Federal Motor Vehicle Safety Standard (FMVSS) number 213, "Child Restraint Systems."`,
    Consequence: random.pick(NHTSA_CONSEQUENCES),
    Remedy: `${brand} will notify owners, and will provide a ${random.pick(['replacement seat', 'remedy kit', 'new harness', 'corrected label'])}, free of charge.`,
    Notes: '',
    ModelYear: '',
    Make: brand.toUpperCase(),
    Model: line.toUpperCase(),
    PotentialNumberofUnitsAffected: String(random.int(50, 800_000)),
  };
}

/** The seed as recall numbers carry it; distinct-mode ids differ ("SD1-...") so the two modes never update each other's rows. */
function seedTag(seed: number, vocabulary: SyntheticVocabulary): string {
  return vocabulary.mode === 'distinct' ? `D${seed}` : String(seed);
}

export const RECORD_GENERATORS: Record<SyntheticAgency, (seed: number, index: number, vocabulary?: SyntheticVocabulary) => Record<string, unknown>> = {
  cpsc: cpscRecord,
  openfda: openFdaRecord,
  nhtsa: nhtsaRecord,
};

/** The agency mix of a run of `rows`: 70 % CPSC, 20 % openFDA, 10 % NHTSA. */
export function agencyCounts(rows: number): Record<SyntheticAgency, number> {
  const openfda = Math.round(rows * 0.2);
  const nhtsa = Math.round(rows * 0.1);
  return { cpsc: rows - openfda - nhtsa, openfda, nhtsa };
}

/** Records [from, to) of one agency, as the importer's stream of elements. */
export async function* syntheticElements(
  agency: SyntheticAgency,
  seed: number,
  count: number,
  onRecord?: () => void,
  vocabulary = DEFAULT_VOCABULARY,
): AsyncGenerator<{ position: number; value: unknown }> {
  const generate = RECORD_GENERATORS[agency];
  for (let index = 0; index < count; index += 1) {
    onRecord?.();
    yield { position: index, value: generate(seed, index, vocabulary) };
  }
}
