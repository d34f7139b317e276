import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadDatabaseConfiguration } from '../../src/config/configuration';
import { parseDatabaseUrl } from '../../src/config/database-url';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { transferRecalls } from '../../src/database/transfer/recall-transfer';
import { RecallImporter } from '../../src/recalls/import/recall-importer';
import { SAMPLE_FILES, SAMPLES_DIR } from './samples';

const ROOT = join(__dirname, '..', '..');

export interface TransferRun {
  code: number;
  output: string;
}

/** `npm run db:transfer -- --from <from> --to <to>` in this process (progress lines included in the output). */
export async function runTransfer(from: string, to: string, batchSize = 500): Promise<TransferRun> {
  let output = '';
  const code = await transferRecalls({
    from,
    to,
    batchSize,
    log: (line) => (output += `${line}\n`),
    progress: { write: (text: string) => (output += text), isTTY: false },
    env: { PATH: process.env.PATH },
  });
  return { code, output };
}

/** `npm run db:transfer -- <args>` as a real process. */
export function startTransferProcess(args: string[]): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', join(ROOT, 'src/database/transfer/transfer.command.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'development' },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

/** A database of ours at `url`, migrated, for the work given; closed afterwards. */
export async function withOurDatabase<T>(url: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const settings = loadDatabaseConfiguration({ PATH: process.env.PATH, NODE_ENV: 'development', DATABASE_URL: url, DB_RUN_MIGRATIONS: 'false' });
  const dataSource = new DataSource({ ...buildDataSourceOptions(settings), logging: false });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Our database at `url` holding the sample feeds (and whatever `more` imports). */
export async function ourDatabaseWithSamples(url: string, more: (importer: RecallImporter) => Promise<unknown> = async () => undefined): Promise<void> {
  await withOurDatabase(url, async (dataSource) => {
    const importer = new RecallImporter(dataSource);
    for (const file of SAMPLE_FILES) await importer.importFile(join(SAMPLES_DIR, file));
    await more(importer);
  });
}

/** The counts line of a transfer. */
export function transferCounts(output: string): { read: number; inserted: number; updated: number; unchanged: number; rejected: number } {
  const match = output.match(/read (\d+), inserted (\d+), updated (\d+), unchanged (\d+), rejected (\d+)/);
  if (!match) throw new Error(`no counts in the output:\n${output}`);
  const [read, inserted, updated, unchanged, rejected] = match.slice(1).map(Number);
  return { read, inserted, updated, unchanged, rejected };
}

/** A PostgreSQL database beside the test database (its name ends in the test database's, so it says "test"). */
export async function createSiblingDatabase(suffix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL!;
  const target = parseDatabaseUrl(base, 'TEST_DATABASE_URL');
  if (target.type !== 'postgres') throw new Error('TEST_DATABASE_URL must be a PostgreSQL URL');
  const name = `${target.database}_${suffix}`;
  const admin = new Client({ host: target.host, port: target.port, user: target.username, password: target.password, database: target.database });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.replace(/^postgres(ql)?(\+\w+)?:/, 'postgresql:'));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ host: target.host, port: target.port, user: target.username, password: target.password, database: target.database });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
