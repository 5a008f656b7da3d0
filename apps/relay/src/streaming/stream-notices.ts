import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { RelayChannel } from '../redis/relay-channel.js';
import { REDIS, REDIS_SUBSCRIBER } from '../redis/redis.providers.js';

/** The receiving device of a streaming transfer connected again (to any replica). */
export interface ReceiverBack {
  ownerId: string;
  transferId: string;
}

/**
 * Tells every relay replica that a streaming transfer's receiver is back, on one Redis channel,
 * so that the replica holding the sender's socket resumes the stream (ADR 0008). Best effort:
 * a notice lost while Redis is down leaves the transfer to its resume window.
 */
@Injectable()
export class StreamNotices {
  private readonly channel: RelayChannel<ReceiverBack>;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_SUBSCRIBER) subscriber: Redis,
    @Inject(RELAY_CONFIG) config: RelayConfig,
  ) {
    this.channel = new RelayChannel(redis, subscriber, `${config.RELAY_REDIS_PREFIX}streams`);
  }

  onReceiverBack(listener: (notice: ReceiverBack) => void): void {
    this.channel.listen(listener);
  }

  receiverBack(notice: ReceiverBack): Promise<void> {
    return this.channel.publish(notice);
  }
}
