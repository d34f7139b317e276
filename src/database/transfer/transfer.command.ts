import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_BATCH_SIZE } from '../../recalls/import/recall-importer';
import { TRANSFER_EXIT, transferRecalls } from './recall-transfer';

const USAGE = `Usage:
  npm run db:transfer -- --from <database url> --to <database url> [--batch-size ${DEFAULT_BATCH_SIZE}]
Copies every recall of --from into --to and verifies the result.
  --from  this service's database (sqlite:///./data/babyshield_dev.db, postgresql://...) or the original Python
          service's (its recalls_enhanced table; sqlite:///... or postgresql+psycopg://...)
  --to    a database of this service on the same migration version, or an empty one (migrated first);
          normally postgresql://user:password@host:5432/babyshield
Running it again changes nothing (all unchanged), and completes a transfer that was interrupted.
Exit codes:
  0  transferred and verified (source rows that cannot be mapped are listed as rejected)
  1  bad arguments or settings, or a source or target on another migration version
  2  the source holds neither this service's tables nor the original service's recalls_enhanced
  3  a database failed (unreachable, connection lost, disk full): the batches committed are stored; run it again
  4  the verification found differences, or the target holds recalls the source does not have (never deleted)`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { from: { type: 'string' }, to: { type: 'string' }, 'batch-size': { type: 'string' }, help: { type: 'boolean' } },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return TRANSFER_EXIT.refused;
  }
  if (args.help) {
    console.log(USAGE);
    return TRANSFER_EXIT.ok;
  }
  if (!args.from || !args.to) {
    console.error(`Give --from and --to.\n${USAGE}`);
    return TRANSFER_EXIT.refused;
  }
  const batchSize = args['batch-size'] === undefined ? DEFAULT_BATCH_SIZE : Number(args['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    console.error('--batch-size must be a whole number from 1 to 10000');
    return TRANSFER_EXIT.refused;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  return transferRecalls({ from: args.from, to: args.to, batchSize, log: (line) => console.log(line), progress: process.stdout });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:transfer failed: ${(error as Error)?.message ?? error}`);
    process.exit(TRANSFER_EXIT.databaseFailed);
  },
);
