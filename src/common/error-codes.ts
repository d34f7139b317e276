/** Every error code a client can see. Domain code names its failures with these; api-error.ts gives each its HTTP status. */
export enum ErrorCode {
  BAD_REQUEST = 'BAD_REQUEST',
  INVALID_PARAMETERS = 'INVALID_PARAMETERS',
  INVALID_CURSOR = 'INVALID_CURSOR',
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The request line and headers together are over Node's limit (16 KB), e.g. a very long URL. */
  REQUEST_HEADER_TOO_LARGE = 'REQUEST_HEADER_TOO_LARGE',
  /** The request did not arrive in full within the server's time limits. */
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
}
