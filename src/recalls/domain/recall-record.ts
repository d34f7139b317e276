import { AgencyCode } from './agencies';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RISK_CATEGORIES = ['drug', 'device', 'food', 'cosmetic', 'supplement', 'toy', 'baby_product', 'other'] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

export const RECALL_STATUSES = ['open', 'closed'] as const;
export type RecallStatus = (typeof RECALL_STATUSES)[number];

export const IDENTIFIER_KINDS = ['barcode', 'model_number', 'lot_number'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface ProductIdentifier {
  kind: IdentifierKind;
  /** As printed in the feed, e.g. "4M-005" or "0 79346 62703 5". */
  value: string;
  /** Comparable form: GTIN-14 for barcodes, upper-case alphanumerics for model and lot numbers. */
  normalized: string;
}

/** One recall as every feed mapper produces it, whatever the agency's format. */
export interface RecallRecord {
  recallId: string;
  agencyCode: AgencyCode;
  title: string;
  productName?: string;
  brand?: string;
  manufacturer?: string;
  description?: string;
  hazard?: string;
  hazardCategory?: string;
  remedy?: string;
  recallReason?: string;
  /** YYYY-MM-DD */
  recallDate: string;
  /** ISO 8601 date-time of the agency's last change, when the feed has one. */
  lastUpdated?: string;
  country?: string;
  affectedCountries?: string[];
  severity: Severity;
  riskCategory: RiskCategory;
  status?: RecallStatus;
  url?: string;
  imageUrl?: string;
  unitsAffected?: string;
  identifiers: ProductIdentifier[];
  /** The record exactly as received. */
  source: unknown;
}

/** A feed record that cannot become a recall; the import reports it with its position and goes on. */
export class RecordRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RecordRejectedError';
  }
}
