import { AGENCY_CODES, AgencyCode } from './agencies';

// Spellings clients and the original service used for the same agencies.
const ALIASES: Record<string, AgencyCode> = {
  US_CPSC: 'CPSC',
  US_FDA: 'FDA',
  OPENFDA: 'FDA',
  US_NHTSA: 'NHTSA',
  HC: 'HEALTH_CANADA',
  HEALTHCANADA: 'HEALTH_CANADA',
  HEALTH_CANADA_RECALLS: 'HEALTH_CANADA',
  EU: 'EU_SAFETY_GATE',
  SAFETY_GATE: 'EU_SAFETY_GATE',
  EU_SAFETYGATE: 'EU_SAFETY_GATE',
  RAPEX: 'EU_SAFETY_GATE',
  EU_RAPEX: 'EU_SAFETY_GATE',
};

/** Resolves an agency as a client may spell it ("cpsc", "Health Canada", "EU") to its code. */
export function resolveAgencyCode(input: string): AgencyCode | undefined {
  const key = input.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if ((AGENCY_CODES as readonly string[]).includes(key)) return key as AgencyCode;
  return ALIASES[key];
}
