import { DEFAULT_THROTTLE_PREFIX, throttleBucketKey } from './bucket-key.js';

describe('throttleBucketKey', () => {
  it('names one bucket per quota account under the prefix, the account as a hash tag', () => {
    expect(throttleBucketKey(DEFAULT_THROTTLE_PREFIX, 'user-1')).toBe('lexy:throttle:{user-1}');
    expect(throttleBucketKey('t:', 'ip:203.0.113.9')).toBe('t:{ip:203.0.113.9}');
  });
});
