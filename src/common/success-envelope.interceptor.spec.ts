import { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, of } from 'rxjs';
import { ListEnvelope, RawResponse, SuccessEnvelopeInterceptor } from './success-envelope.interceptor';

class Handlers {
  one() {}
  @ListEnvelope() page() {}
  @RawResponse() probe() {}
}

@RawResponse()
class Probes {
  live() {}
}

/** What the interceptor makes of `data` returned by `handler` of `controller`, on request `trace-1` 12.3456 ms in. */
function answerOf(controller: new () => object, handler: (...args: unknown[]) => unknown, data: unknown, type = 'http'): Promise<unknown> {
  const context = {
    getType: () => type,
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => ({ id: 'trace-1' }), getResponse: () => ({ elapsedTime: 12.3456 }) }),
  } as unknown as ExecutionContext;
  const next: CallHandler = { handle: () => of(data) };
  return lastValueFrom(new SuccessEnvelopeInterceptor(new Reflector()).intercept(context, next));
}

describe('SuccessEnvelopeInterceptor', () => {
  it('wraps what a handler returns in {ok, data, traceId}', async () => {
    await expect(answerOf(Handlers, Handlers.prototype.one, { id: 'CPSC-19105' })).resolves.toEqual({
      ok: true,
      data: { id: 'CPSC-19105' },
      traceId: 'trace-1',
    });
  });

  it('adds responseTimeMs, in hundredths of a millisecond, to a list page', async () => {
    const page = { items: [], total: 0, limit: 20, offset: 0, nextCursor: null, hasMore: false };
    await expect(answerOf(Handlers, Handlers.prototype.page, page)).resolves.toEqual({ ok: true, data: page, traceId: 'trace-1', responseTimeMs: 12.35 });
  });

  it('sends a raw handler or every handler of a raw controller as returned (probe shapes)', async () => {
    const healthy = { status: 'healthy', database: 'connected' };
    await expect(answerOf(Handlers, Handlers.prototype.probe, healthy)).resolves.toBe(healthy);
    await expect(answerOf(Probes, Probes.prototype.live, healthy)).resolves.toBe(healthy);
  });

  it('keeps the order of the envelope keys the original service sent: ok, data, traceId', async () => {
    const answer = await answerOf(Handlers, Handlers.prototype.page, { items: [] });
    expect(Object.keys(answer as object)).toEqual(['ok', 'data', 'traceId', 'responseTimeMs']);
  });

  it('leaves anything that is not an HTTP request alone', async () => {
    await expect(answerOf(Handlers, Handlers.prototype.one, 'data', 'rpc')).resolves.toBe('data');
  });
});
