import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { PickupLimitsInterceptor } from './pickup-limits.interceptor.js';

/**
 * Puts a pickup-code lookup route under the guessing limits (PickupLimitsInterceptor). The
 * interceptor runs after the guards, so the caller CallerGuard resolved is known to it.
 */
export const PickupLimits = () =>
  applyDecorators(
    UseInterceptors(PickupLimitsInterceptor),
    ApiHeader({
      name: 'X-Pickup-Challenge',
      required: false,
      description:
        'A solved proof-of-work challenge (ALTCHA v2 payload: base64 of {challenge, solution}), ' +
        'needed by anonymous callers while the global failure budget is exhausted; each is accepted once',
    }),
    ApiResponse({
      status: 429,
      description:
        'RATE_LIMITED: too many failed lookups from this source (details.limit "per-minute" or "locked"), with Retry-After',
    }),
    ApiResponse({
      status: 428,
      description: 'CHALLENGE_REQUIRED: details.challenge is a fresh challenge to solve and send in X-Pickup-Challenge',
    }),
    ApiResponse({ status: 503, description: 'SERVICE_UNAVAILABLE: the limits cannot be checked (fails closed)' }),
  );
