import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';
import { ErrorCode } from './error-codes';

/**
 * Validates DTOs; failures become INVALID_PARAMETERS with readable messages. With rejectUnknown (request bodies),
 * fields the DTO does not declare are refused and listed in error.unknown.
 */
export function createValidationPipe(options: { rejectUnknown: boolean }): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: options.rejectUnknown,
    forbidUnknownValues: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const unknown = errors.filter((error) => error.constraints?.whitelistValidation).map((error) => error.property);
      if (unknown.length > 0) {
        return new ApiError(ErrorCode.INVALID_PARAMETERS, `Unknown field(s): ${unknown.join(', ')}`, unknown);
      }
      return new ApiError(ErrorCode.INVALID_PARAMETERS, flatten(errors).join('; ') || 'Invalid parameters');
    },
  });
}

const TYPE_CONSTRAINTS = new Set(['isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject', 'isDateString', 'isEnum', 'isIn']);

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    // A value of the wrong type is reported as that, not as whichever range or length check happened to run first.
    const typeErrors = constraints.filter(([name]) => TYPE_CONSTRAINTS.has(name));
    const own = (typeErrors.length > 0 ? typeErrors : constraints).map(([, message]) => message.replace(error.property, path));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
