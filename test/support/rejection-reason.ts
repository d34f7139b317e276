import { RecordRejectedError } from '../../src/recalls/domain/recall-record';
import { FeedMapper } from '../../src/recalls/import/mappers/feed-mapper';

/** Why the mapper rejects this raw record; fails the test when the record is accepted instead. */
export function rejectionReason(mapper: Pick<FeedMapper, 'map'>, raw: unknown): string {
  try {
    mapper.map(raw);
  } catch (error) {
    if (error instanceof RecordRejectedError) return error.message;
    throw error;
  }
  throw new Error('the record was accepted');
}
