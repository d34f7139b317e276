import { ErrorCode } from './error-codes';

/**
 * A failure the domain can name (an invalid cursor, an unknown recall, a feed that cannot be imported), with its
 * stable code. Domain and search code throw these and know nothing of HTTP: ErrorEnvelopeFilter maps the code to
 * a status and the error envelope.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  /** What a client may read; `message` (logged) may hold internals such as a database's own error. */
  get publicMessage(): string {
    return this.message;
  }
}
