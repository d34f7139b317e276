import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { FastifyReply } from 'fastify';
import { appConfig, AppConfig } from '../config/app.config';
import { SERVICE_NAME, SERVICE_VERSION } from '../common/service-info';
import { RawResponse } from '../common/success-envelope.interceptor';
import { ReadinessIndicators } from './readiness.indicators';

// Probe shapes are fixed by their readers (Kubernetes and terminus, the original service's probe, the mobile
// client), not the success envelope; @Res only sets the 503 status.
@ApiExcludeController()
@RawResponse()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get(['health/ready', 'readyz'])
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.health.check([
        () => this.readiness.notShuttingDown(),
        () => this.readiness.database(this.app.healthDbTimeoutMs),
        () => this.readiness.migrations(this.app.healthDbTimeoutMs),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse();
    }
  }

  /** The original service's probe shape. */
  @Get('healthz')
  async legacy(@Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.readiness.database(this.app.healthDbTimeoutMs);
    if (result.database.status === 'up') return { status: 'healthy', database: 'connected' };
    reply.status(503);
    return { status: 'unhealthy', database: 'disconnected' };
  }

  /** The shape the mobile client reads. */
  @Get('api/v1/healthz')
  mobile() {
    return {
      ok: true,
      status: 'healthy',
      timestamp: new Date().toISOString(),
      version: SERVICE_VERSION,
      service: SERVICE_NAME,
    };
  }
}
