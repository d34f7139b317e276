/** The agencies whose feeds we import: the one list, also served by GET /api/v1/agencies. */
export const AGENCIES = [
  { code: 'CPSC', idPrefix: 'CPSC', name: 'U.S. Consumer Product Safety Commission', country: 'US', website: 'https://www.cpsc.gov' },
  { code: 'FDA', idPrefix: 'FDA', name: 'U.S. Food and Drug Administration', country: 'US', website: 'https://www.fda.gov' },
  { code: 'NHTSA', idPrefix: 'NHTSA', name: 'U.S. National Highway Traffic Safety Administration', country: 'US', website: 'https://www.nhtsa.gov' },
  { code: 'HEALTH_CANADA', idPrefix: 'HC', name: 'Health Canada', country: 'CA', website: 'https://recalls-rappels.canada.ca' },
  { code: 'EU_SAFETY_GATE', idPrefix: 'EU', name: 'EU Safety Gate', country: 'EU', website: 'https://ec.europa.eu/safety-gate' },
] as const;

export type AgencyCode = (typeof AGENCIES)[number]['code'];
export const AGENCY_CODES: readonly AgencyCode[] = AGENCIES.map((agency) => agency.code);

export function isAgencyCode(value: string): value is AgencyCode {
  return (AGENCY_CODES as readonly string[]).includes(value);
}

/** The stable recall id: agency prefix + the agency's own number, e.g. CPSC-19105, EU-SR/01326/26. */
export function recallIdFor(agency: AgencyCode, agencyNumber: string): string {
  const prefix = AGENCIES.find((candidate) => candidate.code === agency)!.idPrefix;
  return `${prefix}-${agencyNumber.trim()}`;
}
