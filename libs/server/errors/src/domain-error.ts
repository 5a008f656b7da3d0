import { ERROR_TRANSPORT, ErrorCode } from './error-code.js';

export type ErrorDetails = Record<string, unknown>;

/**
 * A failure that belongs to the domain and may be shown to the client: it carries a
 * stable code, a human message and optional details. Anything else that is thrown is
 * an internal error and is reported as `INTERNAL` without its message.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    /** Another HTTP status than the code's own, where a protocol names one (e.g. 422 for a file digest). */
    private readonly statusOverride?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get httpStatus(): number {
    return this.statusOverride ?? ERROR_TRANSPORT[this.code].http;
  }
}

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details: ErrorDetails };
}

export function toEnvelope(error: DomainError): ErrorEnvelope {
  return { error: { code: error.code, message: error.message, details: error.details } };
}
