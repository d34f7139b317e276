import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { RouteHeaderOptions } from '../common/request-hooks';

const ALIVE = JSON.stringify({ status: 'ok' });

/**
 * GET /health/live, answered by Fastify itself: liveness consults nothing, so it skips the whole Nest pipeline
 * (and the security headers, which a probe does not read). Probes hit it every few seconds on every pod.
 */
@Injectable()
export class LivenessRoute implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get('/health/live', { config: { securityHeaders: false } satisfies RouteHeaderOptions }, (_request, reply) => {
      void reply.type('application/json; charset=utf-8').send(ALIVE);
    });
  }
}
