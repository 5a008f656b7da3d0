import { DomainError, ErrorCode } from '@lexy/server-errors';
import {
  Inject,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, from, switchMap, throwError, type Observable } from 'rxjs';
import type { RequestWithCaller } from '../identity/caller.js';
import { ClientAddresses } from '../identity/client-addresses.js';
import { CHALLENGE_HEADER, PickupChallenges } from './pickup-challenges.js';
import {
  budgetExceeded,
  budgetTrippedBy,
  combinedVerdict,
  globalFailureEstimate,
  hourIndex,
  type PickupLimitPolicy,
} from './pickup-limit-policy.js';
import { PickupLimitStore } from './pickup-limit-store.js';
import { carriesLinkToken, isAnonymous, pickupSources } from './pickup-sources.js';

export const PICKUP_CLOCK = Symbol('PICKUP_CLOCK');
export const PICKUP_LIMIT_POLICY = Symbol('PICKUP_LIMIT_POLICY');
export type Clock = () => number;

const unavailable = () =>
  new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Pickup codes cannot be checked right now', { retryAfterSeconds: 5 });

/**
 * The pickup-code policy around a lookup route (PC-02, PC-03): one Redis round trip before
 * the lookup decides whether it may run, and a lookup answered 404 is charged as a failure in
 * one more. Runs after the guards, so CallerGuard has already named the caller. Fails closed:
 * without Redis nothing is looked up (503). Logs nothing per request; only the budget's trip.
 */
@Injectable()
export class PickupLimitsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('pickup-limits');
  private alertedHour = -1;

  constructor(
    private readonly store: PickupLimitStore,
    private readonly challenges: PickupChallenges,
    private readonly addresses: ClientAddresses,
    @Inject(PICKUP_LIMIT_POLICY) private readonly policy: PickupLimitPolicy,
    @Inject(PICKUP_CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    if (carriesLinkToken(request)) return next.handle();
    const sources = pickupSources(request, this.addresses.keyOf(request));
    return from(this.admit(request, sources)).pipe(
      switchMap(() => next.handle()),
      catchError((error: unknown) =>
        error instanceof DomainError && error.code === ErrorCode.PICKUP_CODE_NOT_FOUND
          ? from(this.chargeFailure(sources)).pipe(switchMap(() => throwError(() => error)))
          : throwError(() => error),
      ),
    );
  }

  /** Refuses the lookup (429, 428, 503) unless every source may look up now. */
  private async admit(request: RequestWithCaller, sources: string[]): Promise<void> {
    const anonymous = isAnonymous(request);
    const solution = anonymous ? await this.challenges.verify(request.headers[CHALLENGE_HEADER]) : undefined;
    const now = this.clock();
    const snapshot = await this.store
      .check(sources, now, solution?.outcome === 'solved' ? solution.claim : undefined)
      .catch(() => {
        throw unavailable();
      });

    const verdict = combinedVerdict(snapshot.sources, now, this.policy);
    if (!verdict.allowed) {
      // The same answer whether or not the code exists: a lock-out is no oracle.
      throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many failed pickup lookups; try again later', {
        limit: verdict.limit,
        retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1_000),
      });
    }
    if (anonymous && budgetExceeded(snapshot.global, now, this.policy) && !snapshot.challengeClaimed) {
      const reason = solution?.outcome === 'solved' ? 'used' : (solution?.outcome ?? 'missing');
      throw new DomainError(ErrorCode.CHALLENGE_REQUIRED, 'Solve the proof-of-work challenge to look codes up', {
        reason,
        header: 'X-Pickup-Challenge',
        challenge: await this.challenges.create(),
      });
    }
  }

  private async chargeFailure(sources: string[]): Promise<void> {
    const now = this.clock();
    const global = await this.store.chargeFailure(sources, now).catch(() => {
      throw unavailable();
    });
    // The alert: once per hour and replica, by the replica whose failure tripped the budget.
    if (budgetTrippedBy(global, now, this.policy) && this.alertedHour !== hourIndex(now)) {
      this.alertedHour = hourIndex(now);
      this.logger.warn(
        `Global pickup failure budget tripped: about ${Math.round(globalFailureEstimate(global, now))} failed lookups ` +
          `in the last hour (budget ${this.policy.globalFailureBudget}); anonymous lookups now need a proof of work`,
      );
    }
  }
}
