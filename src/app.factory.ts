import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { Logger } from 'pino';
import { AppModule } from './app.module';
import { ErrorEnvelopeFilter } from './common/error-envelope.filter';
import { answerClientError, answerFrameworkError } from './common/framework-errors';
import { registerMethodNotAllowed } from './common/method-not-allowed';
import { registerRateLimit } from './common/rate-limit';
import { registerRequestBounds } from './common/request-bounds';
import { silentLogger } from './common/logging';
import { registerRequestHooks } from './common/request-hooks';
import { securityHeaders } from './common/security-headers';
import { SERVICE_NAME, SERVICE_VERSION } from './common/service-info';
import { SuccessEnvelopeInterceptor } from './common/success-envelope.interceptor';
import { assignTraceId } from './common/trace-id';
import { Configuration } from './config/configuration';
import { fastifyTrustProxy } from './config/trust-proxy';

/**
 * Builds the Fastify-backed Nest application with the global wiring; used by main.ts and the e2e tests. Everything
 * it logs goes to `logger` (src/common/logging.ts); `false`: nothing is logged.
 */
export async function createApp(configuration: Configuration, rootLogger: Logger | false): Promise<NestFastifyApplication> {
  const logger = rootLogger || silentLogger();
  const { app: settings } = configuration;
  const headers = securityHeaders({
    contentSecurityPolicy: false, // a JSON API; Swagger UI at /docs needs its inline assets
    hsts: settings.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
  });
  const adapter = new FastifyAdapter({
    // What the router (an undecodable URL) or Node's HTTP parser (malformed bytes) refuses before any hook runs.
    frameworkErrors: answerFrameworkError(headers, logger),
    clientErrorHandler: answerClientError(headers, logger),
    // Node would answer an HTTP/1.1 request without Host with an empty 400; the request hook refuses it in the envelope.
    http: { requireHostHeader: false },
    genReqId: assignTraceId,
    requestIdHeader: false,
    trustProxy: fastifyTrustProxy(settings.trustProxy),
    bodyLimit: settings.bodyLimitBytes,
    // A request that reaches the server while it closes is answered as usual (the listener is already closed and the
    // answer says Connection: close), not with Fastify's own 503 outside the envelope.
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(configuration, logger), adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(NestPinoLogger));
  const fastify = app.getHttpAdapter().getInstance();

  // Errors raised before a handler runs (body too large, bad JSON, rate limit) reach ErrorEnvelopeFilter too.
  // The JSON, XML and form parsers: a body or query string past its route's limits is refused before it is parsed or validated.
  registerRequestBounds(app);

  // Before the rate limiter's hook, so that a 429 carries the security headers and its trace id too.
  registerRequestHooks(fastify, headers);
  if (settings.corsOrigins.length > 0) {
    app.enableCors({
      origin: settings.corsOrigins.includes('*') ? true : settings.corsOrigins,
      exposedHeaders: ['X-Trace-Id', 'Retry-After'],
      // An OPTIONS request that is not a full preflight gets an empty 204, not @fastify/cors's plain-text 400.
      strictPreflight: false,
    });
  }
  if (settings.rateLimit.max > 0) await registerRateLimit(app, settings.rateLimit);
  registerMethodNotAllowed(fastify);

  app.useGlobalFilters(new ErrorEnvelopeFilter());
  app.useGlobalInterceptors(new SuccessEnvelopeInterceptor(app.get(Reflector)));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('BabyShield API').setDescription('Recall search and product safety checks').setVersion(SERVICE_VERSION).addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', customSiteTitle: SERVICE_NAME });
  return app;
}
