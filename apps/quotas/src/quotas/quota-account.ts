import { DomainError, ErrorCode } from '@lexy/server-errors';
import { isServiceCaller, quotaAccountOf, requireCaller } from '@lexy/server-grpc';

/** Whose quotas a call counts against: the verified caller's quota account and group. */
export interface QuotaAccount {
  /** The caller's `quota_account_id` (its owner id for users, its address key for tokenless callers). */
  accountId: string;
  group: string;
}

/**
 * The account of the signed `lexy-caller` metadata, never of an id in the request (AUTH-08).
 * A platform service owns no storage: its calls are refused rather than counted against a
 * `service:` account nobody reads (it has StorageMaintenanceService instead).
 */
export function requireAccount(): QuotaAccount {
  const caller = requireCaller();
  if (isServiceCaller(caller)) {
    throw new DomainError(ErrorCode.FORBIDDEN, 'A platform service has no quota account of its own');
  }
  return { accountId: quotaAccountOf(caller), group: caller.group };
}
