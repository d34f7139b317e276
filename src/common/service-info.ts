import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVICE_NAME = 'babyshield-api';

function readVersion(): string {
  for (const candidate of [join(__dirname, '..', '..', 'package.json'), join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
    } catch {
      // try the next layout (src/ under ts-node, dist/src/ when built)
    }
  }
  return '0.0.0';
}

export const SERVICE_VERSION = readVersion();
