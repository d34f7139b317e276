import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { verify } from 'jsonwebtoken';
import { ApiError } from '../../common/api-error';
import { ErrorCode } from '../../common/error-codes';
import { securityConfig, SecurityConfig } from '../../config/app.config';

/** Clocks of the issuer and this service may differ this much. */
const CLOCK_SKEW_SECONDS = 30;

/**
 * Admin endpoints need a bearer JWT (HS256, JWT_SECRET_KEY) whose `role` or `roles` includes "admin", with `iat` and
 * `exp` at most JWT_MAX_AGE_SECONDS apart: a leaked token stops working soon. A refused token gets one fixed
 * message; the reason is logged (never the token).
 */
@Injectable()
export class AdminJwtGuard implements CanActivate {
  private readonly logger = new Logger('AdminAuth');

  constructor(@Inject(securityConfig.KEY) private readonly security: SecurityConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new ApiError(ErrorCode.UNAUTHORIZED, 'An admin bearer token is required (Authorization: Bearer <jwt>)');
    let claims: unknown;
    try {
      claims = verify(match[1], this.security.jwtSecretKey, { algorithms: ['HS256'] });
    } catch (error) {
      throw this.refused((error as Error).message, request.id);
    }
    const problem = lifetimeProblem(claims, this.security.jwtMaxAgeSeconds, Date.now() / 1000);
    if (problem) throw this.refused(problem, request.id);
    const { role, roles } = claims as Record<string, unknown>;
    if (![role, ...(Array.isArray(roles) ? roles : [])].includes('admin')) {
      throw new ApiError(ErrorCode.FORBIDDEN, 'This endpoint needs the admin role');
    }
    return true;
  }

  private refused(reason: string, traceId: string): ApiError {
    this.logger.warn(`Admin token refused [${traceId}]: ${reason}`);
    return new ApiError(ErrorCode.UNAUTHORIZED, 'The bearer token is not valid');
  }
}

/** Why verified claims still may not pass (no exp or iat, too long a life, issued in the future), or undefined. */
export function lifetimeProblem(claims: unknown, maxAgeSeconds: number, nowSeconds: number): string | undefined {
  if (typeof claims !== 'object' || claims === null) return 'the payload is not a JSON object';
  const { exp, iat } = claims as { exp?: unknown; iat?: unknown };
  if (typeof exp !== 'number') return 'no exp claim';
  if (typeof iat !== 'number') return 'no iat claim';
  if (exp - iat > maxAgeSeconds) return `it lives ${exp - iat} s, over JWT_MAX_AGE_SECONDS (${maxAgeSeconds} s)`;
  if (iat > nowSeconds + CLOCK_SKEW_SECONDS) return 'its iat is in the future';
  return undefined;
}
