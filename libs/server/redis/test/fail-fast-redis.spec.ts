import { connectFailFastRedis } from '../src/index.js';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('connectFailFastRedis', () => {
  it('is connected when it returns', async () => {
    const redis = await connectFailFastRedis(url);
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });

  it('fails commands at once while Redis is unreachable, instead of queueing them', async () => {
    const redis = await connectFailFastRedis('redis://127.0.0.1:9', 500); // nothing listens on port 9
    await expect(redis.ping()).rejects.toThrow();
    redis.disconnect();
  });
});
