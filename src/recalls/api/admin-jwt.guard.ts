import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { verify } from 'jsonwebtoken';
import { ApiError } from '../../common/api-error';
import { ErrorCode } from '../../common/error-codes';
import { securityConfig, SecurityConfig } from '../../config/app.config';

/** Admin endpoints need a bearer JWT (HS256, JWT_SECRET_KEY) whose `role` or `roles` includes "admin". */
@Injectable()
export class AdminJwtGuard implements CanActivate {
  constructor(@Inject(securityConfig.KEY) private readonly security: SecurityConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new ApiError(ErrorCode.UNAUTHORIZED, 'An admin bearer token is required (Authorization: Bearer <jwt>)');
    let claims: Record<string, unknown>;
    try {
      claims = verify(match[1], this.security.jwtSecretKey, { algorithms: ['HS256'] }) as Record<string, unknown>;
    } catch (error) {
      throw new ApiError(ErrorCode.UNAUTHORIZED, `The bearer token is not valid (${(error as Error).message})`);
    }
    const roles = [claims.role, ...(Array.isArray(claims.roles) ? claims.roles : [])];
    if (!roles.includes('admin')) throw new ApiError(ErrorCode.FORBIDDEN, 'This endpoint needs the admin role');
    return true;
  }
}
