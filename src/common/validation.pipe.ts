import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';
import { ErrorCode } from './error-codes';

/**
 * Validates DTOs; failures become INVALID_PARAMETERS with readable messages. With rejectUnknown (request bodies),
 * fields the DTO does not declare are refused and listed in error.unknown. Text that is not text a person types
 * (see UNTYPABLE) is refused in every field, before the DTO's own checks.
 */
export function createValidationPipe(options: { rejectUnknown: boolean }): ValidationPipe {
  return new TextCheckingValidationPipe({
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

/**
 * Control characters other than tab, line feed and carriage return (C0, DEL, C1), and UTF-16 surrogates not in a
 * pair. PostgreSQL refuses NUL in text (the statement fails) and the driver turns an unpaired surrogate into U+FFFD,
 * so neither could match anything; refusing them says so instead of failing or quietly searching for other text.
 */
const UNTYPABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

class TextCheckingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const field = firstUntypableField(value);
    if (field !== undefined) {
      throw new ApiError(ErrorCode.INVALID_PARAMETERS, `${field} must not contain control characters or unpaired surrogates`);
    }
    return super.transform(value, metadata);
  }
}

/** The path of the first string (value or key) holding an UNTYPABLE character; breadth first, so depth costs no stack. */
function firstUntypableField(input: unknown): string | undefined {
  const pending: Array<{ value: unknown; path: string }> = [{ value: input, path: '' }];
  for (let next = 0; next < pending.length; next += 1) {
    const { value, path } = pending[next];
    if (typeof value === 'string') {
      if (UNTYPABLE.test(value)) return path || 'the value';
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]` }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (UNTYPABLE.test(key)) return path ? `a field name in ${path}` : 'a field name';
        pending.push({ value: item, path: path ? `${path}.${key}` : key });
      }
    }
  }
  return undefined;
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
