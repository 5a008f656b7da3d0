import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { PickupLimitsInterceptor } from './pickup-limits.interceptor.js';

/** The lookup limits' 429, for routes that document their own 429 too (DownloadResponses). */
export const LOOKUP_REFUSAL =
  'RATE_LIMITED: too many failed lookups from this source (details.limit "per-minute" or "locked"), with Retry-After';

/**
 * Puts a pickup-code lookup route under the guessing limits (PickupLimitsInterceptor). The
 * interceptor runs after the guards, so the caller CallerGuard resolved is known to it.
 * `documents429: false` leaves the 429 to the route's own description (one per status).
 */
export const PickupLimits = ({ documents429 = true } = {}) =>
  applyDecorators(
    UseInterceptors(PickupLimitsInterceptor),
    ApiHeader({
      name: 'X-Pickup-Challenge',
      required: false,
      description:
        'A solved proof-of-work challenge (ALTCHA v2 payload: base64 of {challenge, solution}), ' +
        'needed by anonymous callers while the global failure budget is exhausted; each is accepted once',
    }),
    ...(documents429 ? [ApiResponse({ status: 429, description: LOOKUP_REFUSAL })] : []),
    ApiResponse({
      status: 428,
      description: 'CHALLENGE_REQUIRED: details.challenge is a fresh challenge to solve and send in X-Pickup-Challenge',
    }),
    ApiResponse({ status: 503, description: 'SERVICE_UNAVAILABLE: the limits cannot be checked (fails closed)' }),
  );
