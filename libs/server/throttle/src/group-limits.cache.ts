import type { quotasV1 } from '@lexy/contracts-grpc';

/** Admin changes to a group's speed reach running streams within this (plus one lease). */
export const GROUP_LIMITS_TTL_MS = 2_000;

/** The quotas service's GetGroupLimits, however the process reaches it. */
export type GetGroupLimits = (request: quotasV1.GetGroupLimitsRequest) => Promise<quotasV1.GetGroupLimitsResponse>;

/**
 * Group limits as the quotas service last told them, for at most GROUP_LIMITS_TTL_MS: a
 * throttled stream rereads its rate on every lease without a gRPC call each time. Lookups
 * of one group while a fetch is on its way share that fetch.
 */
export class GroupLimitsCache {
  private readonly entries = new Map<string, { atMs: number; limits: Promise<quotasV1.GroupLimits> }>();
  private now: () => number = Date.now;

  constructor(private readonly getGroupLimits: GetGroupLimits) {}

  /** Tests move time instead of waiting. */
  useClock(now: () => number): void {
    this.now = now;
  }

  get(group: string): Promise<quotasV1.GroupLimits> {
    const nowMs = this.now();
    const cached = this.entries.get(group);
    if (cached && nowMs - cached.atMs < GROUP_LIMITS_TTL_MS) return cached.limits;
    const limits = this.getGroupLimits({ group }).then(({ limits: found }) => {
      if (!found) throw new Error(`quotas answered no limits for group ${group}`);
      return found;
    });
    this.entries.set(group, { atMs: nowMs, limits });
    // A failed lookup is not cached: the next one asks again.
    limits.catch(() => {
      if (this.entries.get(group)?.limits === limits) this.entries.delete(group);
    });
    return limits;
  }

  /** Drops what is remembered of a group (an admin just changed it), so the next lookup asks. */
  forget(group: string): void {
    this.entries.delete(group);
  }

  /** The group's download speed in bytes per second, null for unlimited. */
  async downloadRate(group: string): Promise<number | null> {
    return (await this.get(group)).downloadBytesPerSecond ?? null;
  }
}
