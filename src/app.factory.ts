import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { ErrorEnvelopeFilter } from './common/error-envelope.filter';
import { registerRequestHooks } from './common/request-logging';
import { traceIdFor } from './common/trace-id';
import { Configuration } from './config/configuration';

/** Builds the Fastify-backed Nest application with the global wiring; used by main.ts and the e2e tests. */
export async function createApp(configuration: Configuration, logger: LoggerService | false): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => traceIdFor(request.headers),
    requestIdHeader: false,
    trustProxy: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    logger,
    abortOnError: false,
  });
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  registerRequestHooks(app.getHttpAdapter().getInstance(), configuration.app.logFormat === 'json');
  return app;
}
