import { DomainError } from '../../common/domain-error';
import { ErrorCode } from '../../common/error-codes';

/** No recall has this recall id. */
export class RecallNotFoundError extends DomainError {
  readonly code = ErrorCode.NOT_FOUND;

  constructor(readonly recallId: string) {
    super(`No recall with id ${recallId}`);
  }
}
