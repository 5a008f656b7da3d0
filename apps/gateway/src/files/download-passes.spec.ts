import { DomainError, ErrorCode } from '@lexy/server-errors';
import { DOWNLOAD_PASS_TTL_SECONDS, DownloadPasses, type PassStore } from './download-passes.js';

/** Redis as the passes use it: SET … EX and GETDEL, with the clock moved by hand. */
class FakeRedis {
  readonly values = new Map<string, { value: string; expiresAt: number }>();
  now = 0;
  failing = false;

  set = (async (key: string, value: string, _ex: 'EX', seconds: number) => {
    if (this.failing) throw new Error('connection refused');
    this.values.set(key, { value, expiresAt: this.now + seconds * 1000 });
    return 'OK';
  }) as unknown as PassStore['set'];

  getdel = (async (key: string) => {
    if (this.failing) throw new Error('connection refused');
    const entry = this.values.get(key);
    this.values.delete(key);
    return entry && entry.expiresAt > this.now ? entry.value : null;
  }) as unknown as PassStore['getdel'];
}

const PICKUP = { code: 'K7Q2M9', linkToken: 'link-token-of-the-file', pin: '731905' };

function setUp() {
  const redis = new FakeRedis();
  return { redis, passes: new DownloadPasses(redis, { PICKUP_REDIS_PREFIX: 'test:pickup:' }) };
}

describe('DownloadPasses', () => {
  it('redeems a pass once, for what it was issued with', async () => {
    const { passes } = setUp();
    const issued = await passes.issue(PICKUP);
    expect(issued.expiresInSeconds).toBe(DOWNLOAD_PASS_TTL_SECONDS);
    expect(await passes.redeem(issued.pass)).toEqual(PICKUP);
    expect(await passes.redeem(issued.pass)).toBeNull();
  });

  it('keeps only a hash of the pass and an unreadable PIN in Redis, under the limiter prefix', async () => {
    const { redis, passes } = setUp();
    const { pass } = await passes.issue(PICKUP);
    const [[key, { value }]] = [...redis.values.entries()];
    expect(key.startsWith('test:pickup:download-pass:')).toBe(true);
    expect(key).not.toContain(pass);
    for (const secret of [PICKUP.pin, PICKUP.linkToken, PICKUP.code]) {
      expect(Buffer.from(value, 'base64').toString('latin1')).not.toContain(secret);
    }
  });

  it('refuses an expired pass, an unknown one and one whose stored value was tampered with', async () => {
    const { redis, passes } = setUp();
    const expired = await passes.issue(PICKUP);
    redis.now += DOWNLOAD_PASS_TTL_SECONDS * 1000;
    expect(await passes.redeem(expired.pass)).toBeNull();
    expect(await passes.redeem('A'.repeat(43))).toBeNull();

    redis.now = 0;
    const tampered = await passes.issue(PICKUP);
    const [[key, entry]] = [...redis.values.entries()];
    const bytes = Buffer.from(entry.value, 'base64');
    bytes[bytes.length - 1] ^= 1;
    redis.values.set(key, { ...entry, value: bytes.toString('base64') });
    expect(await passes.redeem(tampered.pass)).toBeNull();
  });

  it('answers SERVICE_UNAVAILABLE while Redis is unreachable', async () => {
    const { redis, passes } = setUp();
    redis.failing = true;
    for (const attempt of [passes.issue(PICKUP), passes.redeem('x')]) {
      const error = await attempt.then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    }
  });
});
