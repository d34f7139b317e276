import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { envelope, listEnvelope } from './envelope';

type EnvelopeKind = 'data' | 'list' | 'raw';
const ENVELOPE_KIND = 'babyshield:envelope';

/** The handler returns a list page: its envelope adds responseTimeMs. */
export const ListEnvelope = () => SetMetadata(ENVELOPE_KIND, 'list' satisfies EnvelopeKind);

/** The handler (or every handler of the controller) answers in a shape of its own, sent as returned. */
export const RawResponse = () => SetMetadata(ENVELOPE_KIND, 'raw' satisfies EnvelopeKind);

/** Wraps what a handler returns in the success envelope {ok, data, traceId}; controllers return data only. */
@Injectable()
export class SuccessEnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const kind = this.reflector.getAllAndOverride<EnvelopeKind | undefined>(ENVELOPE_KIND, [context.getHandler(), context.getClass()]) ?? 'data';
    if (context.getType() !== 'http' || kind === 'raw') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(map((data: unknown) => (kind === 'list' ? listEnvelope(request, reply, data) : envelope(request, data))));
  }
}
