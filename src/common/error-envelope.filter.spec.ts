import { ArgumentsHost, Logger } from '@nestjs/common';
import { FeedUnreadableError, ImportStoppedError } from '../recalls/import/recall-importer';
import { RecallNotFoundError } from '../recalls/domain/recall-errors';
import { InvalidCursorError } from '../recalls/search/cursor';
import { ApiError } from './api-error';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-codes';
import { ErrorEnvelopeFilter } from './error-envelope.filter';

/** What the filter answers to `exception` on a request with trace id `trace-1`. */
function answerTo(exception: unknown): { status: number; body: unknown } {
  const answer = { status: 0, body: undefined as unknown };
  const reply = {
    status(code: number) {
      answer.status = code;
      return reply;
    },
    send(body: unknown) {
      answer.body = body;
      return reply;
    },
  };
  const request = { id: 'trace-1', method: 'POST', url: '/api/v1/admin/recalls/import' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
  new ErrorEnvelopeFilter().catch(exception, host);
  return answer;
}

const committed = { source: 'cpsc' as const, read: 1_000, inserted: 500, updated: 0, unchanged: 0, rejected: [] };

describe('ErrorEnvelopeFilter and domain errors', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['a cursor the service did not issue', new InvalidCursorError('nextCursor is not a cursor issued by this service'), 400, ErrorCode.INVALID_CURSOR],
    ['an unknown recall id', new RecallNotFoundError('CPSC-00000'), 404, ErrorCode.NOT_FOUND],
    ['a feed document that cannot be read', new FeedUnreadableError('unknown feed format'), 400, ErrorCode.BAD_REQUEST],
    ['an import the database stopped', new ImportStoppedError(committed, new Error('connection refused')), 503, ErrorCode.SERVICE_UNAVAILABLE],
  ])('answers %s with its status and code in the error envelope', (_case, error: DomainError, status, code) => {
    const answer = answerTo(error);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ ok: false, error: { code, message: error.publicMessage }, traceId: 'trace-1' });
  });

  it('tells the client the message of a domain error', () => {
    expect(answerTo(new RecallNotFoundError('CPSC-00000')).body).toMatchObject({ error: { message: 'No recall with id CPSC-00000' } });
    expect(answerTo(new InvalidCursorError('nextCursor belongs to a different query')).body).toMatchObject({
      error: { message: 'nextCursor belongs to a different query' },
    });
  });

  it("tells the client what a stopped import committed, never the database's own error, and logs the cause", () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const answer = answerTo(new ImportStoppedError(committed, new Error('connect ECONNREFUSED 10.0.0.5:5432')));
    const message = (answer.body as { error: { message: string } }).error.message;
    expect(message).toBe(
      'The database failed during the import; committed before the failure: inserted 500, updated 0, unchanged 0, rejected 0 of 1000 read. ' +
        'Send the document again to complete it.',
    );
    expect(message).not.toMatch(/ECONNREFUSED|10\.0\.0\.5/);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/ImportStoppedError .*\[trace-1\].*ECONNREFUSED/));
  });

  it('answers an ApiError as it is and anything unknown as a 500 without its details', () => {
    expect(answerTo(new ApiError(ErrorCode.INVALID_PARAMETERS, 'Unknown field(s): x', ['x']))).toEqual({
      status: 400,
      body: { ok: false, error: { code: ErrorCode.INVALID_PARAMETERS, message: 'Unknown field(s): x', unknown: ['x'] }, traceId: 'trace-1' },
    });
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(answerTo(new Error('syntax error at or near "SELEC"'))).toEqual({
      status: 500,
      body: { ok: false, error: { code: ErrorCode.INTERNAL_ERROR, message: 'Internal server error' }, traceId: 'trace-1' },
    });
  });
});
