import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../common/domain-error';
import { ErrorCode } from '../../common/error-codes';

/** Where a page ended, in the list's own order: (score, date, id) for relevance, (date, id) otherwise. */
export interface CursorPosition {
  score?: number;
  date: string;
  id: string;
  /** Text search: how many results came before the next page (which candidates to rank it from). */
  rank?: number;
}

/** A cursor this service did not issue, or issued for another query. */
export class InvalidCursorError extends DomainError {
  readonly code = ErrorCode.INVALID_CURSOR;
}

/**
 * Opaque, tamper-evident page cursors: the position plus a fingerprint of the query, HMAC-signed with
 * SECRET_KEY. A cursor from another query, or an edited one, is INVALID_CURSOR (never a silent restart).
 */
export class CursorCodec {
  constructor(private readonly secret: string) {}

  encode(position: CursorPosition, queryFingerprint: string): string {
    const payload = Buffer.from(JSON.stringify({ p: position, q: queryFingerprint })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  decode(cursor: string, queryFingerprint: string): CursorPosition {
    const [payload, signature, extra] = cursor.split('.');
    if (!payload || !signature || extra !== undefined || !this.verify(payload, signature)) {
      throw new InvalidCursorError('nextCursor is not a cursor issued by this service');
    }
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p: CursorPosition; q: string };
    if (decoded.q !== queryFingerprint) {
      throw new InvalidCursorError('nextCursor belongs to a different query; start again without it');
    }
    return decoded.p;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 32);
  }

  private verify(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** A stable fingerprint of everything that defines a result list (not the page size or position). */
export function fingerprint(criteria: unknown): string {
  return createHash('sha256').update(JSON.stringify(criteria)).digest('base64url').slice(0, 22);
}
