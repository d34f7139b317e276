import { createHash, Hash } from 'node:crypto';
import { RECALL_IDENTIFIERS } from '../tables/recall-identifiers.table';
import { RECALL_WORDS } from '../tables/recall-words.table';
import { RECALLS } from '../tables/recalls.table';
import { RecallSource } from './recall-sources';
import { compareByteOrder, TransferDatabase } from './transfer-database';

interface RecallDigest {
  recallId: string;
  contentHash: string;
  identifiers: number;
}

/** Source (minus rejected rows) against target, recall by recall. */
export interface Verification {
  source: { recalls: number; identifiers: number; checksum: string };
  target: { recalls: number; identifiers: number; words?: number; checksum: string };
  /** In the source, not in the target. */
  missing: Difference;
  /** In the target, not in the source: never deleted, reported. */
  extra: Difference;
  /** In both with another content hash or another number of identifiers. */
  differing: Difference;
  ok: boolean;
}

export interface Difference {
  count: number;
  /** The first few recall ids. */
  examples: string[];
}

const EXAMPLES = 10;

/**
 * Reads the source again (legacy rows are mapped again: mapping is deterministic) and the target, both in code
 * point order of recall id, and compares them recall by recall: content hash and identifier count. The checksums
 * are SHA-256 over "recall_id TAB content_hash" lines in that order. Recalls in `rejected` are left out of the
 * source side. Memory: one batch of each side.
 */
export async function verifyTransfer(source: RecallSource, target: TransferDatabase, rejected: ReadonlySet<string>, batchSize: number): Promise<Verification> {
  const sourceSide = side();
  const targetSide = side();
  const missing = difference();
  const extra = difference();
  const differing = difference();

  const sourceDigests = (async function* () {
    for await (const batch of source.batches(batchSize)) {
      for (const { row, identifiers } of batch.items) {
        if (!rejected.has(row.recall_id)) yield { recallId: row.recall_id, contentHash: row.content_hash, identifiers: identifiers.length };
      }
    }
  })();
  const targetSql =
    `SELECT r.recall_id, r.content_hash, (SELECT count(*) FROM ${RECALL_IDENTIFIERS.name} i WHERE i.recall_pk = r.id) AS identifiers ` +
    `FROM ${RECALLS.name} r ORDER BY ${target.byteOrder('r.recall_id')}`;
  const targetDigests = (async function* () {
    for await (const rows of target.batches(targetSql, batchSize)) {
      for (const row of rows) yield { recallId: String(row.recall_id), contentHash: String(row.content_hash), identifiers: Number(row.identifiers) };
    }
  })();

  let fromSource = await sourceDigests.next();
  let fromTarget = await targetDigests.next();
  while (!fromSource.done || !fromTarget.done) {
    const order = fromSource.done ? 1 : fromTarget.done ? -1 : compareByteOrder(fromSource.value.recallId, fromTarget.value.recallId);
    if (order <= 0) sourceSide.add(fromSource.value as RecallDigest);
    if (order >= 0) targetSide.add(fromTarget.value as RecallDigest);
    if (order < 0) note(missing, (fromSource.value as RecallDigest).recallId);
    else if (order > 0) note(extra, (fromTarget.value as RecallDigest).recallId);
    else if (!sameDigest(fromSource.value as RecallDigest, fromTarget.value as RecallDigest)) note(differing, (fromSource.value as RecallDigest).recallId);
    if (order <= 0) fromSource = await sourceDigests.next();
    if (order >= 0) fromTarget = await targetDigests.next();
  }

  const tables = await target.tableNames();
  const words = tables.has(RECALL_WORDS.name) ? Number((await target.query(`SELECT count(*) AS n FROM ${RECALL_WORDS.name}`))[0].n) : undefined;
  const verification: Verification = {
    source: sourceSide.result(),
    target: { ...targetSide.result(), ...(words === undefined ? {} : { words }) },
    missing,
    extra,
    differing,
    ok: false,
  };
  verification.ok =
    missing.count === 0 &&
    extra.count === 0 &&
    differing.count === 0 &&
    verification.source.checksum === verification.target.checksum &&
    (words === undefined || words === verification.target.recalls);
  return verification;
}

/** The verification as the command prints it. */
export function describeVerification(verification: Verification, rejected: number): string[] {
  const { source, target } = verification;
  const mark = (ok: boolean) => (ok ? 'ok' : 'DIFFERENT');
  const lines = [
    'Verification (source minus rejected rows, against the target):',
    `  recalls:            source ${source.recalls} (${rejected} rejected left out), target ${target.recalls}  ${mark(source.recalls === target.recalls)}`,
    `  recall_identifiers: source ${source.identifiers}, target ${target.identifiers}  ${mark(source.identifiers === target.identifiers)}`,
  ];
  if (target.words !== undefined) lines.push(`  recall_words:       target ${target.words}, one per recall  ${mark(target.words === target.recalls)}`);
  lines.push(`  checksum of recall ids and content hashes: source ${source.checksum}, target ${target.checksum}  ${mark(source.checksum === target.checksum)}`);
  const listed = (what: string, difference: Difference) =>
    difference.count > 0 ? [`  ${what}: ${difference.count} (${difference.examples.join(', ')}${difference.count > difference.examples.length ? ', ...' : ''})`] : [];
  lines.push(
    ...listed('missing from the target', verification.missing),
    ...listed('in the target only, not in the source (left as they are, never deleted)', verification.extra),
    ...listed('different in the target (content hash or identifiers)', verification.differing),
  );
  lines.push(verification.ok ? 'Verified: the target holds exactly the recalls of the source.' : 'NOT verified: the target differs from the source (see above).');
  return lines;
}

function side() {
  const hash: Hash = createHash('sha256');
  let recalls = 0;
  let identifiers = 0;
  return {
    add(digest: RecallDigest) {
      hash.update(`${digest.recallId}\t${digest.contentHash}\n`);
      recalls += 1;
      identifiers += digest.identifiers;
    },
    result: () => ({ recalls, identifiers, checksum: hash.digest('hex').slice(0, 16) }),
  };
}

function difference(): Difference {
  return { count: 0, examples: [] };
}

function note(difference: Difference, recallId: string): void {
  difference.count += 1;
  if (difference.examples.length < EXAMPLES) difference.examples.push(recallId);
}

function sameDigest(a: RecallDigest, b: RecallDigest): boolean {
  return a.contentHash === b.contentHash && a.identifiers === b.identifiers;
}
