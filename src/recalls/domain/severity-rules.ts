/*
 * How a recall gets its severity, hazard category and risk category: the one rule set, used by every feed mapper.
 *
 * Severity, first rule that applies:
 *   1. An explicit severity from the feed (low|medium|high|critical) is kept.
 *   2. The agency's own grading is authoritative: FDA "Class I" / Health Canada "Type I" -> critical,
 *      "Class II" / "Type II" -> medium, "Class III" / "Type III" -> low; EU Safety Gate "Other risk" -> medium.
 *   3. Otherwise the text decides, taking the highest of:
 *      - deaths reported ("death", "deaths", "died", "fatality", "fatalities") -> critical;
 *      - every hazard rule in HAZARD_RULES whose pattern matches;
 *      - EU Safety Gate "Serious risk" -> at least high;
 *      - medium when nothing matched.
 *   High: suffocation, strangulation, entrapment, choking, magnet or button-battery ingestion, microbial
 *   contamination (Cronobacter, botulism, Salmonella, Listeria, E. coli), lead, electrocution.
 *   Medium: fall, laceration, burn, fire, other chemicals, crash protection, electric shock.
 *
 * Hazard category: the first rule in HAZARD_RULES that matches (the table is ordered most dangerous first), looked
 * for in the text that names the hazard (a title, a hazard field, EU riskType) before the rest (injury reports
 * mention how a child was hurt, not what the hazard is), else "other".
 *
 * Risk category: FDA product_type (Food, Drugs, Devices, Biologics, Veterinary, cosmetics, supplements), then the
 * EU/Health Canada category (Toys -> toy, "Childcare articles and children's equipment" -> baby_product), then
 * words in the text (crib, bassinet, sleeper, stroller, car seat, high chair, baby monitor, pacifier, teether,
 * play yard, carrier, infant, baby -> baby_product; toy, magnets, ride-on -> toy), else "other".
 */
import { RISK_CATEGORIES, RiskCategory, SEVERITIES, Severity } from './recall-record';

export const HAZARD_CATEGORIES = [
  'suffocation',
  'strangulation',
  'entrapment',
  'choking',
  'ingestion',
  'microbial',
  'chemical',
  'electrical',
  'crash_protection',
  'fall',
  'fire',
  'burn',
  'laceration',
  'other',
] as const;
export type HazardCategory = (typeof HAZARD_CATEGORIES)[number];

interface HazardRule {
  pattern: RegExp;
  hazardCategory: HazardCategory;
  severity: Severity;
}

export const HAZARD_RULES: readonly HazardRule[] = [
  { pattern: /suffocat|asphyxia|smother|obstructs? (?:their |the )?breathing|breathing (?:is |was )?obstructed|rolled from (?:their|its) back to (?:their|its) stomach/i, hazardCategory: 'suffocation', severity: 'high' },
  { pattern: /strangulat|entangle|drawstring/i, hazardCategory: 'strangulation', severity: 'high' },
  { pattern: /entrap/i, hazardCategory: 'entrapment', severity: 'high' },
  { pattern: /\bchok(?:e|es|ed|ing)\b/i, hazardCategory: 'choking', severity: 'high' },
  { pattern: /magnet|button(?:[- ]cell)? batter|coin(?:[- ]cell)? batter/i, hazardCategory: 'ingestion', severity: 'high' },
  { pattern: /cronobacter|botuli|salmonella|listeria|e\.\s?coli/i, hazardCategory: 'microbial', severity: 'high' },
  { pattern: /microbial|bacteri|\bmold\b|\bmould\b|yeast/i, hazardCategory: 'microbial', severity: 'medium' },
  // "lead" the metal, not "could lead to" / "leads".
  { pattern: /\blead\b(?!\s+(?:to|the)\b)/i, hazardCategory: 'chemical', severity: 'high' },
  { pattern: /phthalate|chemical|toxic|cadmium|poison|formaldehyde/i, hazardCategory: 'chemical', severity: 'medium' },
  { pattern: /\bingest|\bswallow/i, hazardCategory: 'ingestion', severity: 'medium' },
  { pattern: /electrocut/i, hazardCategory: 'electrical', severity: 'high' },
  { pattern: /electric(?:al)? shock|shock hazard/i, hazardCategory: 'electrical', severity: 'medium' },
  { pattern: /fmvss|motor vehicle safety standard|child restraint|in (?:the event of )?a (?:vehicle )?crash/i, hazardCategory: 'crash_protection', severity: 'medium' },
  { pattern: /\bfall(?:s|ing)?\b|\bcrash hazard|tip(?:s|ping)? (?:over|forward)|tip-over/i, hazardCategory: 'fall', severity: 'medium' },
  { pattern: /\bfire\b|flammab|ignit|overheat/i, hazardCategory: 'fire', severity: 'medium' },
  { pattern: /\bburns?\b|scald/i, hazardCategory: 'burn', severity: 'medium' },
  { pattern: /lacerat|\bcuts?\b|sharp (?:edge|point)/i, hazardCategory: 'laceration', severity: 'medium' },
];

const DEATHS_REPORTED = /\b(?:deaths?|died|fatalit(?:y|ies))\b/i;

export interface SeverityInput {
  /** Everything the feed says about the recall: title, hazard, injuries. */
  text: string;
  /** The part of the text that names the hazard; hazard categories are looked for here first. */
  hazardText?: string;
  /** FDA classification ("Class I") or Health Canada recall class ("Type I"). */
  classification?: string;
  /** EU Safety Gate level: "Serious risk" | "Other risk". */
  euLevel?: string;
  explicit?: string;
}

export interface SeverityAssessment {
  severity: Severity;
  hazardCategory: HazardCategory;
}

export function deriveSeverity(input: SeverityInput): SeverityAssessment {
  const text = [input.hazardText, input.text].filter(Boolean).join('. ');
  const matchingRules = HAZARD_RULES.filter((rule) => rule.pattern.test(text));
  const namedHazard = input.hazardText ? HAZARD_RULES.find((rule) => rule.pattern.test(input.hazardText!)) : undefined;
  const hazardCategory = (namedHazard ?? matchingRules[0])?.hazardCategory ?? 'other';

  const explicit = input.explicit?.trim().toLowerCase();
  if (explicit && isSeverity(explicit)) return { severity: explicit, hazardCategory };

  const graded = severityFromClassification(input.classification);
  if (graded) return { severity: graded, hazardCategory };
  const euLevel = euRiskLevel(input.euLevel);
  if (euLevel === 'other risk') return { severity: 'medium', hazardCategory };

  const candidates: Severity[] = matchingRules.map((rule) => rule.severity);
  if (DEATHS_REPORTED.test(text)) candidates.push('critical');
  if (euLevel === 'serious risk') candidates.push('high');
  return { severity: highest(candidates) ?? 'medium', hazardCategory };
}

/** Safety Gate's risk level in English, as published in English or in French ("Risque grave", "Autres risques"). */
function euRiskLevel(level: string | undefined): 'serious risk' | 'other risk' | undefined {
  const plain = level?.trim().toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (plain === 'serious risk' || plain === 'risque grave') return 'serious risk';
  if (plain === 'other risk' || plain === 'autre risque' || plain === 'autres risques') return 'other risk';
  return undefined;
}

function severityFromClassification(classification: string | undefined): Severity | undefined {
  const grade = classification?.match(/\b(?:class|type)\s*(III|II|I|3|2|1)\b/i)?.[1].toUpperCase();
  if (grade === 'I' || grade === '1') return 'critical';
  if (grade === 'II' || grade === '2') return 'medium';
  if (grade === 'III' || grade === '3') return 'low';
  return undefined;
}

function highest(severities: Severity[]): Severity | undefined {
  if (severities.length === 0) return undefined;
  return severities.reduce((worst, next) => (SEVERITIES.indexOf(next) > SEVERITIES.indexOf(worst) ? next : worst));
}

function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

export interface RiskCategoryInput {
  text: string;
  /** openFDA product_type: Food, Drugs, Devices, Veterinary, Biologics, ... */
  productType?: string;
  /** EU Safety Gate or Health Canada category. */
  category?: string;
}

const PRODUCT_TYPE_CATEGORIES: ReadonlyArray<[RegExp, RiskCategory]> = [
  [/^food/i, 'food'],
  [/^drug|^biologic/i, 'drug'],
  [/^device/i, 'device'],
  [/^cosmetic/i, 'cosmetic'],
  [/supplement/i, 'supplement'],
  [/^veterinary/i, 'other'],
];

const AGENCY_CATEGORIES: ReadonlyArray<[RegExp, RiskCategory]> = [
  [/^toys?$/i, 'toy'],
  [/childcare articles|children'?s equipment/i, 'baby_product'],
  [/^cosmetics?$/i, 'cosmetic'],
  [/^food/i, 'food'],
];

const BABY_PRODUCT_WORDS =
  /\b(?:cribs?|bassinets?|sleepers?|strollers?|car seats?|child seats?|booster seats?|high ?chairs?|baby monitors?|pacifiers?|soothers?|teethers?|play ?yards?|carriers?|infants?|baby|babies|newborns?|swaddles?)\b/i;
const TOY_WORDS = /\b(?:toys?|magnets?|ride-?ons?)\b/i;

export function deriveRiskCategory(input: RiskCategoryInput): RiskCategory {
  const productType = input.productType?.trim();
  if (productType) {
    const fromProductType = PRODUCT_TYPE_CATEGORIES.find(([pattern]) => pattern.test(productType));
    if (fromProductType) return fromProductType[1];
  }
  const category = input.category?.trim();
  if (category) {
    if ((RISK_CATEGORIES as readonly string[]).includes(category)) return category as RiskCategory;
    const fromCategory = AGENCY_CATEGORIES.find(([pattern]) => pattern.test(category));
    if (fromCategory) return fromCategory[1];
  }
  const text = [input.text, category].filter(Boolean).join(' ');
  if (BABY_PRODUCT_WORDS.test(text)) return 'baby_product';
  if (TOY_WORDS.test(text)) return 'toy';
  return 'other';
}
