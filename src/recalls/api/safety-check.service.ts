import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ErrorCode } from '../../common/error-codes';
import { normalizeBarcode, normalizeLotNumber, normalizeModelNumber } from '../domain/product-identifiers';
import { RecallItem } from '../domain/recall-item';
import { IdentifierKind } from '../domain/recall-record';
import { RecallSearch } from '../search/recall-search';

export type MatchedOn = 'barcode' | 'model_number' | 'lot_number' | 'product_name';

export interface SafetyCheckResult {
  verdict: 'recalled' | 'possible_match' | 'no_known_recall';
  matches: Array<{ recall: RecallItem; matchedOn: MatchedOn; confidence: number }>;
  checkedAt: string;
}

/** Confidence of each kind of evidence; only exact barcode or model hits make a product "recalled". */
const CONFIDENCE: Record<Exclude<MatchedOn, 'product_name'>, number> = { barcode: 1, model_number: 0.95, lot_number: 0.9 };
const CONCLUSIVE: ReadonlySet<MatchedOn> = new Set(['barcode', 'model_number']);
const NAME_MATCH_MIN_RELEVANCE = 0.6;
const NAME_MATCHES = 5;

@Injectable()
export class SafetyCheckService {
  constructor(private readonly recalls: RecallSearch) {}

  async check(input: { barcode?: string; model_number?: string; lot_number?: string; product_name?: string }): Promise<SafetyCheckResult> {
    const given = Object.entries(input).filter(([, value]) => typeof value === 'string' && value.trim() !== '');
    if (given.length === 0) {
      throw new ApiError(ErrorCode.BAD_REQUEST, 'Give at least one of barcode, model_number, lot_number, product_name');
    }
    const lookups: Array<Promise<Array<{ recall: RecallItem; matchedOn: MatchedOn; confidence: number }>>> = [];
    if (input.barcode?.trim()) {
      const barcode = normalizeBarcode(input.barcode);
      if (!barcode.ok) throw new ApiError(ErrorCode.INVALID_PARAMETERS, `barcode ${input.barcode.trim()} is not valid: ${barcode.reason}`);
      lookups.push(this.exact('barcode', barcode.gtin14));
    }
    if (input.model_number?.trim()) {
      const model = normalizeModelNumber(input.model_number);
      if (model.length < 2) throw new ApiError(ErrorCode.INVALID_PARAMETERS, 'model_number must have at least 2 letters or digits');
      lookups.push(this.exact('model_number', model));
    }
    if (input.lot_number?.trim()) {
      const lot = normalizeLotNumber(input.lot_number);
      if (lot.length < 2) throw new ApiError(ErrorCode.INVALID_PARAMETERS, 'lot_number must have at least 2 letters or digits');
      lookups.push(this.exact('lot_number', lot));
    }
    if (input.product_name?.trim()) {
      if (input.product_name.trim().length < 2) throw new ApiError(ErrorCode.INVALID_PARAMETERS, 'product_name must be at least 2 characters');
      lookups.push(this.byName(input.product_name));
    }

    // One match per recall: the strongest evidence wins.
    const best = new Map<string, { recall: RecallItem; matchedOn: MatchedOn; confidence: number }>();
    for (const match of (await Promise.all(lookups)).flat()) {
      const current = best.get(match.recall.id);
      if (!current || match.confidence > current.confidence) best.set(match.recall.id, match);
    }
    const matches = [...best.values()].sort((a, b) => b.confidence - a.confidence || a.recall.id.localeCompare(b.recall.id));
    const verdict = matches.some((match) => CONCLUSIVE.has(match.matchedOn))
      ? 'recalled'
      : matches.length > 0
        ? 'possible_match'
        : 'no_known_recall';
    return { verdict, matches, checkedAt: new Date().toISOString() };
  }

  private async exact(kind: IdentifierKind, normalized: string) {
    const found = await this.recalls.findByIdentifiers(kind, [normalized]);
    return found.map(({ recall }) => ({ recall, matchedOn: kind as MatchedOn, confidence: CONFIDENCE[kind] }));
  }

  private async byName(name: string) {
    const page = await this.recalls.search({ text: name }, { limit: NAME_MATCHES });
    return page.items
      .filter((item) => (item.relevanceScore ?? 0) >= NAME_MATCH_MIN_RELEVANCE)
      .map(({ relevanceScore, ...recall }) => ({
        recall,
        matchedOn: 'product_name' as const,
        // A name is never proof: confidence stays below any exact identifier match.
        confidence: Math.round((relevanceScore ?? 0) * 0.8 * 100) / 100,
      }));
  }
}
