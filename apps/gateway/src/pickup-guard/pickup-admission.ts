import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RequestWithCaller } from '../identity/caller.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
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
import { isAnonymous } from './pickup-sources.js';

export const PICKUP_CLOCK = Symbol('PICKUP_CLOCK');
export const PICKUP_LIMIT_POLICY = Symbol('PICKUP_LIMIT_POLICY');
export type Clock = () => number;

const unavailable = () =>
  new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Pickup codes cannot be checked right now', { retryAfterSeconds: 5 });

/**
 * The pickup-code policy (PC-02, PC-03): one Redis round trip before a lookup decides whether
 * it may run (`admit`), one more charges a lookup answered 404 (`chargeFailure`). Fails closed:
 * without Redis nothing is looked up (503). Logs nothing per request; only the budget's trip.
 */
@Injectable()
export class PickupAdmission {
  private readonly logger = new Logger('pickup-limits');
  private alertedHour = -1;

  constructor(
    private readonly store: PickupLimitStore,
    private readonly challenges: PickupChallenges,
    @Inject(PICKUP_LIMIT_POLICY) private readonly policy: PickupLimitPolicy,
    @Inject(PICKUP_CLOCK) private readonly clock: Clock,
    private readonly metrics: GatewayMetrics,
  ) {}

  /**
   * Refuses the lookup (429, 428, 503) unless every source may look up now. Its decisions count
   * in lexy_gateway_limiter_decisions_total (pickup-source, pickup-budget); `countRefusals: false`
   * leaves refusals uncounted, for a caller that asks again through the controller when refused.
   */
  async admit(request: RequestWithCaller, sources: string[], options: { countRefusals?: boolean } = {}): Promise<void> {
    const refused = (limiter: 'pickup-source' | 'pickup-budget') => {
      if (options.countRefusals ?? true) this.metrics.limiter(limiter, 'refused');
    };
    const anonymous = isAnonymous(request);
    const solution = anonymous ? await this.challenges.verify(request.headers[CHALLENGE_HEADER]) : undefined;
    const now = this.clock();
    const snapshot = await this.store
      .check(sources, now, solution?.outcome === 'solved' ? solution.claim : undefined)
      .catch(() => {
        // Fails closed: without Redis no lookup runs, which is a refusal.
        refused('pickup-source');
        throw unavailable();
      });

    const verdict = combinedVerdict(snapshot.sources, now, this.policy);
    if (!verdict.allowed) {
      refused('pickup-source');
      // The same answer whether or not the code exists: a lock-out is no oracle.
      throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many failed pickup lookups; try again later', {
        limit: verdict.limit,
        retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1_000),
      });
    }
    this.metrics.limiter('pickup-source', 'allowed');
    if (!anonymous) return;
    if (budgetExceeded(snapshot.global, now, this.policy) && !snapshot.challengeClaimed) {
      refused('pickup-budget');
      const reason = solution?.outcome === 'solved' ? 'used' : (solution?.outcome ?? 'missing');
      throw new DomainError(ErrorCode.CHALLENGE_REQUIRED, 'Solve the proof-of-work challenge to look codes up', {
        reason,
        header: 'X-Pickup-Challenge',
        challenge: await this.challenges.create(),
      });
    }
    this.metrics.limiter('pickup-budget', 'allowed');
  }

  async chargeFailure(sources: string[]): Promise<void> {
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
