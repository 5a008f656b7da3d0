import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds until it may succeed', schema: { type: 'integer' } } };

/** The traffic refusal every download route may answer (api.md § traffic). */
export const TRAFFIC_REFUSAL =
  'QUOTA_EXCEEDED: the download does not fit what is left of the caller’s traffic allowance; ' +
  'details {quota: "traffic", window, limitBytes, usedBytes, remainingBytes, requestedBytes, resetsAt, retryAfterSeconds}, ' +
  'Retry-After until the window resets (a Range of at most remainingBytes still fits)';

/**
 * The answers of a download route besides its bytes: 206/416 for ranges, the traffic refusal
 * (and, for pickup routes, `also429`: the lookup limits' refusal, which shares the status).
 */
export const DownloadResponses = (also429?: string) =>
  applyDecorators(
    ApiResponse({ status: 206, description: 'The requested range (Content-Range)' }),
    ApiResponse({
      status: 416,
      description: 'RANGE_NOT_SATISFIABLE: the range starts past the end; Content-Range: bytes */<size>',
    }),
    ApiResponse({
      status: 429,
      description: also429 ? `${TRAFFIC_REFUSAL}; or ${also429}` : TRAFFIC_REFUSAL,
      headers: RETRY_AFTER,
    }),
    ApiResponse({ status: 503, description: 'SERVICE_UNAVAILABLE: the traffic counters cannot be checked' }),
  );
