import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { DomainError, ErrorCode, toEnvelope } from '@lexy/server-errors';
import type { Response } from 'express';

/** HTTP statuses that Nest or Express raise on their own, mapped to our codes. */
const CODE_FOR_HTTP_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.VALIDATION_FAILED,
  429: ErrorCode.RATE_LIMITED,
};

const MESSAGE_FOR_CODE: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.VALIDATION_FAILED]: 'The request is not valid',
  [ErrorCode.NOT_FOUND]: 'No such resource',
  [ErrorCode.PAYLOAD_TOO_LARGE]: 'The request body is too large',
};

/** Socket failures of a backing service (object storage, mostly): it is down, not the request wrong. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

function isUnreachable(exception: unknown): boolean {
  for (let error = exception, depth = 0; error && depth < 4; error = (error as Error).cause, depth += 1) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
  }
  return false;
}

/** Anything thrown while handling a request → the DomainError the client is shown. */
export function toDomainError(exception: unknown): DomainError {
  if (exception instanceof DomainError) return exception;
  if (exception instanceof HttpException) {
    const code = CODE_FOR_HTTP_STATUS[exception.getStatus()] ?? ErrorCode.INTERNAL;
    return new DomainError(code, MESSAGE_FOR_CODE[code] ?? 'Internal error');
  }
  // Errors raised by Express' body parsers carry a status (400 bad JSON, 413 too large).
  const status = (exception as { status?: unknown; type?: unknown } | null)?.status;
  if (typeof status === 'number' && CODE_FOR_HTTP_STATUS[status]) {
    const code = CODE_FOR_HTTP_STATUS[status];
    return new DomainError(code, MESSAGE_FOR_CODE[code] ?? 'The request is not valid');
  }
  // A fault is no 500: the client may retry once the service is back (security-cases.md, faults).
  if (isUnreachable(exception)) {
    return new DomainError(
      ErrorCode.SERVICE_UNAVAILABLE,
      'A backing service cannot be reached right now; retry shortly',
      {
        retryAfterSeconds: 5,
      },
    );
  }
  return new DomainError(ErrorCode.INTERNAL, 'Internal error');
}

/**
 * The one place where failures become the public envelope (design decision 11). A
 * failure after the response started (a download cut off midway) can only end the
 * connection, so the client sees a short body rather than a wrong one.
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = toDomainError(exception);
    if (
      error.code === ErrorCode.INTERNAL ||
      !(exception instanceof DomainError || exception instanceof HttpException)
    ) {
      this.logger.error(
        exception instanceof Error ? exception.message : String(exception),
        (exception as Error)?.stack,
      );
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    sendError(response, error);
  }
}

/** Writes an error envelope, dropping any download headers set before the failure. */
export function sendError(response: Response, error: DomainError): void {
  // Everything that described the file (or counted a download) belongs to the file's answer, not this one.
  for (const header of [
    'content-disposition',
    'content-range',
    'content-length',
    'accept-ranges',
    'etag',
    'repr-digest',
    'x-file-sha256',
    'x-download-ticket',
  ]) {
    response.removeHeader(header);
  }
  // Headers that some errors must carry, derived from their details.
  const retryAfter = error.details['retryAfterSeconds'];
  if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(Math.ceil(retryAfter)));
  const size = error.details['size'];
  if (error.code === ErrorCode.RANGE_NOT_SATISFIABLE && typeof size === 'number') {
    response.setHeader('Content-Range', `bytes */${size}`);
  }
  response
    .status(error.httpStatus)
    .type('application/json')
    .send(JSON.stringify(toEnvelope(error)));
}
