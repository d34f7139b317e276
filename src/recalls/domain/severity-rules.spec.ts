import { deriveRiskCategory, deriveSeverity } from './severity-rules';

describe('deriveSeverity', () => {
  it('rates a recall critical when deaths are reported', () => {
    expect(deriveSeverity({ text: "Fisher-Price Recalls Rock 'n Play Sleepers Due to Reports of Deaths" }).severity).toBe('critical');
    expect(deriveSeverity({ text: 'a 10-month-old infant who died from asphyxiation' }).severity).toBe('critical');
    expect(deriveSeverity({ text: 'over 30 infant fatalities have occurred' }).severity).toBe('critical');
  });

  it('rates suffocation, strangulation, entrapment and choking hazards high', () => {
    expect(deriveSeverity({ text: 'posing a risk of accidental suffocation' })).toEqual({ severity: 'high', hazardCategory: 'suffocation' });
    expect(deriveSeverity({ text: 'drawstrings can lead to strangulation' })).toEqual({ severity: 'high', hazardCategory: 'strangulation' });
    expect(deriveSeverity({ text: 'a child can become entrapped between the slats' })).toEqual({ severity: 'high', hazardCategory: 'entrapment' });
    expect(deriveSeverity({ text: 'posing a choking hazard to young children' })).toEqual({ severity: 'high', hazardCategory: 'choking' });
  });

  it('rates magnet and button-battery ingestion, Cronobacter, botulism, Salmonella and lead high', () => {
    expect(deriveSeverity({ text: 'high-powered magnets can detach' })).toEqual({ severity: 'high', hazardCategory: 'ingestion' });
    expect(deriveSeverity({ text: 'the button battery compartment can open' })).toEqual({ severity: 'high', hazardCategory: 'ingestion' });
    expect(deriveSeverity({ text: 'evidence of Cronobacter sakazakii' })).toEqual({ severity: 'high', hazardCategory: 'microbial' });
    expect(deriveSeverity({ text: 'potential for Clostridium botulinum' })).toEqual({ severity: 'high', hazardCategory: 'microbial' });
    expect(deriveSeverity({ text: 'may be contaminated with Salmonella' })).toEqual({ severity: 'high', hazardCategory: 'microbial' });
    expect(deriveSeverity({ text: 'the paint contains lead levels above the limit' })).toEqual({ severity: 'high', hazardCategory: 'chemical' });
  });

  it('does not mistake the verb "lead to" for the metal', () => {
    expect(deriveSeverity({ text: 'tipping can lead to injuries' }).hazardCategory).not.toBe('chemical');
  });

  it('rates falls, lacerations, burns and fire medium unless another rule raises them', () => {
    expect(deriveSeverity({ text: 'posing a fall hazard to the child' })).toEqual({ severity: 'medium', hazardCategory: 'fall' });
    expect(deriveSeverity({ text: 'sharp edges pose a laceration hazard' })).toEqual({ severity: 'medium', hazardCategory: 'laceration' });
    expect(deriveSeverity({ text: 'a risk of burn injuries' })).toEqual({ severity: 'medium', hazardCategory: 'burn' });
    expect(deriveSeverity({ text: 'fail to meet the flammability standard' })).toEqual({ severity: 'medium', hazardCategory: 'fire' });
    expect(deriveSeverity({ text: 'Fall Hazard; One Death Reported' }).severity).toBe('critical');
  });

  it('falls back to medium and "other" when nothing matches', () => {
    expect(deriveSeverity({ text: 'the label is missing a warning' })).toEqual({ severity: 'medium', hazardCategory: 'other' });
  });

  it("follows the FDA's and Health Canada's own classification", () => {
    expect(deriveSeverity({ text: 'posing a fall hazard', classification: 'Class I' }).severity).toBe('critical');
    expect(deriveSeverity({ text: 'Salmonella', classification: 'Class II' }).severity).toBe('medium');
    expect(deriveSeverity({ text: 'mislabelled', classification: 'Class III' }).severity).toBe('low');
    expect(deriveSeverity({ text: 'mislabelled', classification: 'Type I' }).severity).toBe('critical');
  });

  it('rates EU "Serious risk" at least high and "Other risk" medium', () => {
    expect(deriveSeverity({ text: 'non-compliant label', euLevel: 'Serious risk' }).severity).toBe('high');
    expect(deriveSeverity({ text: 'deaths reported', euLevel: 'Serious risk' }).severity).toBe('critical');
    expect(deriveSeverity({ text: 'choking', euLevel: 'Other risk' }).severity).toBe('medium');
  });

  it('reads the EU level in French too', () => {
    expect(deriveSeverity({ text: 'étiquette non conforme', euLevel: 'Risque grave' }).severity).toBe('high');
    expect(deriveSeverity({ text: 'choking', euLevel: 'Autres risques' }).severity).toBe('medium');
  });

  it('keeps a valid explicit severity and ignores an invalid one', () => {
    expect(deriveSeverity({ text: 'deaths', explicit: 'LOW' }).severity).toBe('low');
    expect(deriveSeverity({ text: 'choking', explicit: 'severe' }).severity).toBe('high');
  });

  it('names the hazard from the hazard text before the rest', () => {
    const mamaRoo = deriveSeverity({
      hazardText: 'Entanglement and Strangulation Hazards; One Death Reported',
      text: 'an infant who died from asphyxiation',
    });
    expect(mamaRoo).toEqual({ severity: 'critical', hazardCategory: 'strangulation' });
  });
});

describe('deriveRiskCategory', () => {
  it('uses the FDA product type first', () => {
    expect(deriveRiskCategory({ text: 'Infant formula', productType: 'Food' })).toBe('food');
    expect(deriveRiskCategory({ text: 'tablets', productType: 'Drugs' })).toBe('drug');
    expect(deriveRiskCategory({ text: 'catheter', productType: 'Devices' })).toBe('device');
    expect(deriveRiskCategory({ text: 'vaccine', productType: 'Biologics' })).toBe('drug');
    expect(deriveRiskCategory({ text: 'dog food', productType: 'Veterinary' })).toBe('other');
  });

  it('maps the EU and Health Canada categories', () => {
    expect(deriveRiskCategory({ text: 'Soft toy', category: 'Toys' })).toBe('toy');
    expect(deriveRiskCategory({ text: 'Silikonsmokk', category: "Childcare articles and children's equipment" })).toBe('baby_product');
  });

  it('recognises baby products and toys from the text', () => {
    expect(deriveRiskCategory({ text: "Rock 'n Play Sleeper" })).toBe('baby_product');
    expect(deriveRiskCategory({ text: 'Graco TurboBooster car seat' })).toBe('baby_product');
    expect(deriveRiskCategory({ text: 'Blue’s Clues Foot to Floor Ride-on Toys' })).toBe('toy');
    expect(deriveRiskCategory({ text: 'magnets set' })).toBe('toy');
    expect(deriveRiskCategory({ text: "Children's hooded bathrobes" })).toBe('other');
  });
});
