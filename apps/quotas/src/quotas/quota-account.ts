import { quotaAccountOf, requireCaller } from '@lexy/server-grpc';

/** Whose quotas a call counts against: the verified caller's quota account and group. */
export interface QuotaAccount {
  /** The caller's `quota_account_id` (its owner id for users, its address key for tokenless callers). */
  accountId: string;
  group: string;
}

/** The account of the signed `lexy-caller` metadata, never of an id in the request (AUTH-08). */
export function requireAccount(): QuotaAccount {
  const caller = requireCaller();
  return { accountId: quotaAccountOf(caller), group: caller.group };
}
