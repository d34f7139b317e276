import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from '../../bench/report';
import { SetResult } from './search-quality';

/** The quality sets measured on one database. */
export interface QualityRun {
  mode: 'scale' | 'small';
  database: { name: string; type: 'postgres' | 'sqlite'; recalls: number; syntheticRows?: number };
  service: string;
  sets: SetResult[];
}

function gitDescription(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: join(__dirname, '..', '..'), encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** bench/results/search-quality-<timestamp>.json; held-out sets hold figures and counts only, never queries. */
export function writeQualityResult(startedAt: Date, command: string, runs: QualityRun[]): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  const path = join(RESULTS_DIR, `search-quality-${stamp}.json`);
  writeFileSync(path, `${JSON.stringify({ startedAt: startedAt.toISOString(), command, code: gitDescription(), runs }, null, 2)}\n`);
  return path;
}
