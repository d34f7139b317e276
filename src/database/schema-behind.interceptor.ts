import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { catchError, Observable } from 'rxjs';
import { ApiError } from '../common/api-error';
import { ErrorCode } from '../common/error-codes';
import { describePendingMigrations, isMissingSchemaError, SCHEMA_BEHIND_MESSAGE, SchemaStatus } from './schema-status';

/**
 * A statement that misses a table or column while migrations are pending is not a bug in the request or the code:
 * the schema is behind (a deployment before its migration step). Answer 503 SERVICE_UNAVAILABLE, not 500.
 */
@Injectable()
export class SchemaBehindInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Database');

  constructor(private readonly schema: SchemaStatus) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError(async (error: unknown) => {
        if (!isMissingSchemaError(error)) throw error;
        const pending = await this.schema.pendingMigrations().catch(() => []);
        if (pending.length === 0) throw error;
        this.logger.warn(`${describePendingMigrations(pending)} (a request failed: ${(error as Error).message})`);
        throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE, SCHEMA_BEHIND_MESSAGE);
      }),
    );
  }
}
