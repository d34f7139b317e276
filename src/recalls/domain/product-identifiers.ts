import { IdentifierKind, ProductIdentifier } from './recall-record';

export type BarcodeNormalization = { ok: true; gtin14: string } | { ok: false; reason: string };

/**
 * Checks a UPC-A, UPC-E, EAN-8, EAN-13 or GTIN-14 and returns it as a zero-padded GTIN-14, the one form in which
 * barcodes are compared (so 079346627035 and 0079346627035 are the same product).
 */
export function normalizeBarcode(raw: string): BarcodeNormalization {
  const digits = raw.replace(/[\s-]/g, '');
  if (digits.length === 0) return { ok: false, reason: 'the barcode is empty' };
  if (!/^\d+$/.test(digits)) return { ok: false, reason: 'a barcode has only digits' };
  if (![8, 12, 13, 14].includes(digits.length)) {
    return { ok: false, reason: `a barcode has 8, 12, 13 or 14 digits, this one has ${digits.length}` };
  }

  if (digits.length === 8) {
    // An 8-digit code is an EAN-8 or a zero-suppressed UPC-E; the EAN-8 reading wins when both check out.
    const asEan8 = checkDigitProblem(digits);
    if (!asEan8) return { ok: true, gtin14: digits.padStart(14, '0') };
    const upcA = expandUpcE(digits);
    if (upcA && !checkDigitProblem(upcA)) return { ok: true, gtin14: upcA.padStart(14, '0') };
    return { ok: false, reason: asEan8 };
  }

  const problem = checkDigitProblem(digits);
  return problem ? { ok: false, reason: problem } : { ok: true, gtin14: digits.padStart(14, '0') };
}

/** GS1 mod-10: weights 3,1,3,... from the digit left of the check digit. */
function checkDigitProblem(digits: string): string | undefined {
  const body = digits.slice(0, -1);
  let sum = 0;
  for (let position = 0; position < body.length; position++) {
    const digit = Number(body[body.length - 1 - position]);
    sum += position % 2 === 0 ? digit * 3 : digit;
  }
  const expected = (10 - (sum % 10)) % 10;
  const actual = Number(digits[digits.length - 1]);
  return actual === expected ? undefined : `check digit is ${actual}, expected ${expected}`;
}

/** UPC-E (number system 0 or 1) to the UPC-A it abbreviates, by the standard zero-suppression rules. */
function expandUpcE(upcE: string): string | undefined {
  const numberSystem = upcE[0];
  if (numberSystem !== '0' && numberSystem !== '1') return undefined;
  const [d1, d2, d3, d4, d5, d6] = upcE.slice(1, 7);
  const check = upcE[7];
  let body: string;
  if (d6 === '0' || d6 === '1' || d6 === '2') body = `${d1}${d2}${d6}0000${d3}${d4}${d5}`;
  else if (d6 === '3') body = `${d1}${d2}${d3}00000${d4}${d5}`;
  else if (d6 === '4') body = `${d1}${d2}${d3}${d4}00000${d5}`;
  else body = `${d1}${d2}${d3}${d4}${d5}0000${d6}`;
  return `${numberSystem}${body}${check}`;
}

/** Model numbers compare without case, spaces, hyphens, dots, slashes or underscores: 4M-005 = 4m005 = "4M 005". */
export function normalizeModelNumber(raw: string): string {
  return raw.toUpperCase().replace(/[\s\-./_]/g, '');
}

/** Lot and batch numbers compare like model numbers. */
export function normalizeLotNumber(raw: string): string {
  return normalizeModelNumber(raw);
}

/** A product identifier in stored form, or undefined when the value is empty or (for barcodes) not a valid code. */
export function identifier(kind: IdentifierKind, raw: string): ProductIdentifier | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  if (kind === 'barcode') {
    const barcode = normalizeBarcode(value);
    return barcode.ok ? { kind, value, normalized: barcode.gtin14 } : undefined;
  }
  const normalized = kind === 'model_number' ? normalizeModelNumber(value) : normalizeLotNumber(value);
  return normalized ? { kind, value, normalized } : undefined;
}

/** Drops the undefined ones and keeps the first of each kind + normalized value, in order. */
export function distinctIdentifiers(candidates: Array<ProductIdentifier | undefined>): ProductIdentifier[] {
  const seen = new Set<string>();
  const kept: ProductIdentifier[] = [];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const key = `${candidate.kind}:${candidate.normalized}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(candidate);
  }
  return kept;
}

// Identifier-shaped token: starts and ends with a letter or digit, may hold - . / inside (4M-005, 702.390.98).
const TOKEN = String.raw`[A-Za-z0-9](?:[A-Za-z0-9./-]*[A-Za-z0-9])?`;
const MODEL_CUE = String.raw`\b(?:models?|styles?|items?|skus?)(?:\s*(?:numbers?|nos?\.?|#))?(?:\s*(?::|is\b|are\b))?`;
// Lists in prose: "A, B and C", "A; B", "A or B"; never bare spaces, which would swallow the next words.
const PROSE_SEPARATOR = String.raw`\s*(?:,\s*(?:and\s+|or\s+)?|;\s*(?:and\s+|or\s+)?|\s(?:and|or|&)\s)\s*`;
const LOT_CUE = String.raw`\b(?:(?:lots?|batch(?:es)?)(?:\s*(?:numbers?|nos?\.?|codes?))?\s*[:#]{1,2}|lot\s+(?:numbers?|codes?)\b)`;
// Lot lists in code_info are space separated and carry packaging notes: "27032K80 (can) / 27032K800 (case)".
const LOT_SEPARATOR = String.raw`(?:\s*\([^()]{0,20}\))?(?:\s*[,;/]\s*|\s+(?:and|or|&)\s+|\s+)`;

function isIdentifierToken(token: string): boolean {
  return token.length >= 3 && token.length <= 20 && /\d/.test(token) && !/^\d{1,2}\.\d+$/.test(token);
}

/** A cue followed by a list of identifier tokens, compiled once (a pattern compiled per record cost more than matching). */
interface ListAfterCue {
  list: RegExp;
  separator: RegExp;
}

function listAfterCue(cue: string, separator: string): ListAfterCue {
  return {
    list: new RegExp(`${cue}\\s*\\(?\\s*["“]?(${TOKEN})["”]?((?:${separator}["“]?${TOKEN}["”]?)*)`, 'gi'),
    separator: new RegExp(separator, 'i'),
  };
}

const MODEL_LIST = listAfterCue(MODEL_CUE, PROSE_SEPARATOR);
const LOT_LIST = listAfterCue(LOT_CUE, LOT_SEPARATOR);

function tokensListedAfterCue(text: string, { list, separator }: ListAfterCue): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(list)) {
    const tokens = [match[1], ...(match[2] ?? '').split(separator)]
      .map((token) => token.replace(/^["“(]+|["”)]+$/g, '').trim())
      .filter(Boolean);
    // A list ends at its first token that is not an identifier ("model 1982, First Pops, ...").
    for (const token of tokens) {
      if (!isIdentifierToken(token)) break;
      found.push(token);
    }
  }
  return distinctByNormalizedForm(found);
}

function distinctByNormalizedForm(tokens: string[]): string[] {
  const seen = new Set<string>();
  return tokens.filter((token) => {
    const key = normalizeModelNumber(token);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Model numbers named in recall prose: "model number 55061", "model numbers 4M-005, 4M-006 and 4M-007",
 * "Model: ABC123", "style numbers ...". Conservative on purpose: only tokens with a digit, 3-20 characters, right
 * after a model/style/item/SKU cue; a wrong model number makes a safety check say "recalled" for a safe product.
 */
export function extractModelNumbers(text: string): string[] {
  return tokensListedAfterCue(text, MODEL_LIST);
}

/** Lot or batch numbers after a "Lot #", "Lot:", "lot numbers:", "Batches:" cue, as in openFDA code_info. */
export function extractLotNumbers(text: string): string[] {
  return tokensListedAfterCue(text, LOT_LIST);
}

/** 12-14 digit numbers in free text that pass the GS1 check digit (UPCs printed in a product description). */
export function extractBarcodes(text: string): string[] {
  const found = [...text.matchAll(/(?<![\w-])\d{12,14}(?![\w-])/g)].map((match) => match[0]);
  return found.filter((candidate, index) => normalizeBarcode(candidate).ok && found.indexOf(candidate) === index);
}
