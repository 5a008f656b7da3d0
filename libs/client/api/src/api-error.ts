import type { components } from './generated/schema.js';

export type ErrorEnvelope = components['schemas']['ErrorEnvelope'];
/** Every code of the public API's error envelope (docs/api.md), as the OpenAPI document lists them. */
export type ApiErrorCode = ErrorEnvelope['error']['code'];
/** What a client itself can add: the request never reached the gateway, or its answer was no envelope. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'UNEXPECTED_RESPONSE';

/** A failed API call, from the gateway's error envelope or from the network. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | ClientErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** From `details.retryAfterSeconds` or the `Retry-After` header; null when the answer named none. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isEnvelope(body: unknown): body is ErrorEnvelope {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

function retryAfterOf(details: Record<string, unknown>, header: string | null): number | null {
  const fromDetails = details['retryAfterSeconds'];
  if (typeof fromDetails === 'number' && Number.isFinite(fromDetails)) return Math.max(0, Math.ceil(fromDetails));
  if (header !== null && /^\d+$/.test(header.trim())) return Number(header.trim());
  return null;
}

/** Turns a failed response and its parsed body (or undefined when it had none) into an ApiError. */
export function apiErrorFromResponse(response: Pick<Response, 'status' | 'headers'>, body: unknown): ApiError {
  const retryAfterHeader = response.headers.get('retry-after');
  if (!isEnvelope(body)) {
    return new ApiError(
      response.status,
      'UNEXPECTED_RESPONSE',
      `HTTP ${response.status}`,
      {},
      retryAfterOf({}, retryAfterHeader),
    );
  }
  const details = body.error.details ?? {};
  return new ApiError(
    response.status,
    body.error.code,
    body.error.message,
    details,
    retryAfterOf(details, retryAfterHeader),
  );
}

/** A request that never got an answer (offline, DNS, CORS, aborted). */
export function networkError(cause: unknown): ApiError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(0, 'NETWORK_ERROR', message);
}
