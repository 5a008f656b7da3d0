/** The default Redis key prefix of the download-speed buckets (GATEWAY_THROTTLE_PREFIX). */
export const DEFAULT_THROTTLE_PREFIX = 'lexy:throttle:';

/**
 * The bucket of one quota account: the gateway's downloads and the relay's relayed bytes of
 * that account take from this one key, so together they stay at the group's rate. The account
 * is in braces (a Redis Cluster hash tag), so a key stays in one slot whatever the prefix.
 */
export function throttleBucketKey(prefix: string, quotaAccount: string): string {
  return `${prefix}{${quotaAccount}}`;
}
