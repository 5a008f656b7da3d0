import type { Lock, Locker, RequestRelease } from '@tus/utils';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

export interface RedisLockerOptions {
  /** How long a lock lives without being renewed: a replica that dies frees its uploads this soon. */
  leaseMs?: number;
  /** How long a request waits for a lock another request holds before answering 423. */
  acquireTimeoutMs?: number;
  /** How often a waiting request tries again. */
  retryMs?: number;
}

const KEY_PREFIX = 'lexy:tus:lock:';
const RELEASE_CHANNEL_PREFIX = 'lexy:tus:release:';

// Renew or delete only a lock we still hold (its value is our token).
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** tus-shaped error: the server answers with its status; the gateway maps 423 to UPLOAD_LOCKED. */
export const UPLOAD_LOCKED = { status_code: 423, body: 'Another request is writing to this upload; retry shortly' };

/**
 * One lock per upload across every gateway replica, so that two PATCHes at one offset never
 * both apply (UP-03). The lock is a Redis key with a lease that its holder renews; a request
 * that wants a held lock asks the holder to let go (over pub/sub, as tus' own in-memory locker
 * does within one process): the holder's request ends its body and stores what it received,
 * which is how a client that reconnects after a dropped connection resumes without waiting
 * for the old connection to time out.
 */
export class RedisLocker implements Locker {
  private readonly leaseMs: number;
  private readonly acquireTimeoutMs: number;
  private readonly retryMs: number;
  /** Release requests for the locks this process holds, by upload id. */
  private readonly holders = new Map<string, RequestRelease>();
  private subscribed: Promise<unknown> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    options: RedisLockerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 20_000;
    this.retryMs = options.retryMs ?? 100;
    this.subscriber.on('pmessage', (_pattern: string, channel: string) => {
      const release = this.holders.get(channel.slice(RELEASE_CHANNEL_PREFIX.length));
      void release?.();
    });
  }

  newLock(id: string): Lock {
    return new RedisLock(id, this);
  }

  /** @internal used by RedisLock */
  async tryAcquire(id: string, token: string): Promise<boolean> {
    return (await this.redis.set(KEY_PREFIX + id, token, 'PX', this.leaseMs, 'NX')) === 'OK';
  }

  /** @internal */
  async renew(id: string, token: string): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, KEY_PREFIX + id, token, String(this.leaseMs))) === 1;
  }

  /** @internal */
  async release(id: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, KEY_PREFIX + id, token);
  }

  /** @internal asks whoever holds the lock, on any replica, to finish up */
  async askHolderToRelease(id: string): Promise<void> {
    await this.redis.publish(RELEASE_CHANNEL_PREFIX + id, '');
  }

  /** @internal */
  async listen(id: string, onReleaseRequest: RequestRelease): Promise<void> {
    this.subscribed ??= this.subscriber.psubscribe(`${RELEASE_CHANNEL_PREFIX}*`);
    await this.subscribed;
    this.holders.set(id, onReleaseRequest);
  }

  /** @internal */
  stopListening(id: string): void {
    this.holders.delete(id);
  }

  get timing() {
    return { leaseMs: this.leaseMs, acquireTimeoutMs: this.acquireTimeoutMs, retryMs: this.retryMs };
  }
}

class RedisLock implements Lock {
  private readonly token = randomUUID();
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly id: string,
    private readonly locker: RedisLocker,
  ) {}

  async lock(signal: AbortSignal, cancelReq: RequestRelease): Promise<void> {
    const { acquireTimeoutMs, retryMs, leaseMs } = this.locker.timing;
    const deadline = Date.now() + acquireTimeoutMs;
    let asked = false;
    while (!(await this.locker.tryAcquire(this.id, this.token))) {
      if (signal.aborted) throw signal.reason ?? new Error('request aborted while waiting for the upload lock');
      if (Date.now() >= deadline) throw UPLOAD_LOCKED;
      if (!asked) {
        await this.locker.askHolderToRelease(this.id);
        asked = true;
      }
      await sleep(retryMs);
    }
    await this.locker.listen(this.id, cancelReq);
    this.renewal = setInterval(() => void this.locker.renew(this.id, this.token).catch(() => undefined), leaseMs / 3);
    this.renewal.unref();
  }

  async unlock(): Promise<void> {
    clearInterval(this.renewal);
    this.locker.stopListening(this.id);
    await this.locker.release(this.id, this.token);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
