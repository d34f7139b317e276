import { readFileSync } from 'fs';
import { join } from 'path';
import { detectFeedSource } from './detect-feed-source';

const head = (file: string, bytes = 64 * 1024) =>
  readFileSync(join(__dirname, '../../../data/samples', file)).subarray(0, bytes).toString('utf8');

describe('detectFeedSource', () => {
  it.each([
    ['cpsc-recalls.json', 'cpsc'],
    ['openfda-food-enforcement.json', 'openfda'],
    ['nhtsa-child-seat-recalls.json', 'nhtsa'],
    ['health-canada-recalls.json', 'health-canada'],
    ['eu-safety-gate.xml', 'eu-safety-gate'],
  ])('recognises %s as the %s feed', (file, source) => {
    expect(detectFeedSource(head(file))).toBe(source);
  });

  it('recognises a feed from a head cut in the middle of its first record', () => {
    expect(detectFeedSource(head('cpsc-recalls.json', 200))).toBe('cpsc');
    expect(detectFeedSource(head('health-canada-recalls.json', 40))).toBe('health-canada');
    expect(detectFeedSource(head('nhtsa-child-seat-recalls.json', 150))).toBe('nhtsa');
    expect(detectFeedSource('{"meta": {"disclaimer": "Do not rely on openFDA", "results": {"skip": 0')).toBe('openfda');
  });

  it('recognises a NHTSA envelope by Count and results before any row is seen', () => {
    expect(detectFeedSource('{\n "Count": 0, "Message": "Results returned successfully", "results": [')).toBe('nhtsa');
  });

  it('allows whitespace and a byte-order mark before the document', () => {
    expect(detectFeedSource('\uFEFF  \n<?xml version="1.0"?><Safety-Gate>')).toBe('eu-safety-gate');
  });

  it('returns undefined for anything else', () => {
    expect(detectFeedSource('')).toBeUndefined();
    expect(detectFeedSource('id,title\n1,x')).toBeUndefined();
    expect(detectFeedSource('[{"id": 1}]')).toBeUndefined();
    expect(detectFeedSource('{"data": []}')).toBeUndefined();
  });
});
