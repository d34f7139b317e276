import type { AgencyCode } from './agencies';
import type { RecallStatus, RiskCategory, Severity } from './recall-record';

/** A recall as the API serves it (the contract's RecallItem); absent optional fields are omitted. */
export interface RecallItem {
  id: string;
  agencyCode: AgencyCode;
  title: string;
  recallDate: string;
  productName?: string;
  brand?: string;
  manufacturer?: string;
  model?: string;
  modelNumber?: string;
  upc?: string;
  hazard?: string;
  hazardCategory?: string;
  riskCategory?: RiskCategory;
  severity?: Severity;
  status?: RecallStatus;
  imageUrl?: string;
  affectedCountries?: string[];
  country?: string;
  lastUpdated?: string;
  sourceUrl?: string;
  description?: string;
  url?: string;
  relevanceScore?: number;
  remedy?: string;
  recallReason?: string;
  unitsAffected?: string;
}
