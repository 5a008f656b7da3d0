import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
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
export class StreamNotices implements OnModuleInit {
  private readonly logger = new Logger('stream-notices');
  private readonly channel: string;
  private readonly listeners: ((notice: ReceiverBack) => void)[] = [];

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    @Inject(RELAY_CONFIG) config: RelayConfig,
  ) {
    this.channel = `${config.RELAY_REDIS_PREFIX}streams`;
  }

  onModuleInit(): void {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      let notice: ReceiverBack;
      try {
        notice = JSON.parse(message) as ReceiverBack;
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(notice);
    });
    this.subscriber.subscribe(this.channel).catch((error: unknown) => {
      this.logger.warn(`not subscribed to stream notices: ${String(error)}`);
    });
  }

  onReceiverBack(listener: (notice: ReceiverBack) => void): void {
    this.listeners.push(listener);
  }

  async receiverBack(notice: ReceiverBack): Promise<void> {
    try {
      await this.redis.publish(this.channel, JSON.stringify(notice));
    } catch (error) {
      this.logger.warn(`could not announce the receiver of ${notice.transferId} is back: ${String(error)}`);
    }
  }
}
