import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from './samples';

const ROOT = join(__dirname, '..', '..');
const cpscSamples = JSON.parse(readFileSync(join(SAMPLES_DIR, 'cpsc-recalls.json'), 'utf8')) as Array<Record<string, any>>;

/** Copies of the real sample CPSC recalls with numbers of their own: `count` records numbered from `firstNumber`. */
export function cpscCorpus(
  count: number,
  firstNumber: number,
  change: (record: Record<string, any>, index: number) => Record<string, any> = (record) => record,
): Array<Record<string, any>> {
  return Array.from({ length: count }, (_, index) => {
    const template = cpscSamples[index % cpscSamples.length];
    return change({ ...template, RecallID: firstNumber + index, RecallNumber: String(firstNumber + index) }, index);
  });
}

export function writeJson(path: string, content: unknown): string {
  writeFileSync(path, JSON.stringify(content));
  return path;
}

export interface ImportRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/** `npm run recalls:import -- <args>` as a real process, with exactly these settings (plus PATH and HOME). */
export function startImport(args: string[], env: Record<string, string>): ImportRun {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', join(ROOT, 'src/recalls/import/import.command.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, output: () => output, exited };
}

export interface ReportedCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** The counts line the command prints for a file (or, after a failure, the counts committed before it). */
export function reportedCounts(output: string): ReportedCounts {
  const match = output.match(/read (\d+), inserted (\d+), updated (\d+), unchanged (\d+), rejected (\d+)/);
  if (!match) throw new Error(`no counts in the output:\n${output}`);
  const [read, inserted, updated, unchanged, rejected] = match.slice(1).map(Number);
  return { read, inserted, updated, unchanged, rejected };
}

/** Polls `check` until it holds; fails after `timeoutMs` (generous: the machine may be loaded). */
export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
