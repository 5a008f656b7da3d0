import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/**
 * One Redis pub/sub channel between the relay replicas, carrying JSON messages of one kind.
 * Every replica hears every message, its own included. Best effort by design: while Redis is
 * down a message is lost (logged), never queued, so each user of a channel says what losing
 * one costs.
 */
export class RelayChannel<Message> {
  private readonly logger: Logger;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    readonly name: string,
  ) {
    this.logger = new Logger(`channel ${name}`);
  }

  /** Hands every message heard on the channel to `listener` (from the module's start on). */
  listen(listener: (message: Message) => void): void {
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.name) return;
      let message: Message;
      try {
        message = JSON.parse(raw) as Message;
      } catch {
        this.logger.warn('dropped a message that is not JSON');
        return;
      }
      listener(message);
    });
    // ioredis subscribes again by itself after a reconnect.
    this.subscriber.subscribe(this.name).catch((error: unknown) => {
      this.logger.warn(`not subscribed: ${String(error)}`);
    });
  }

  /** Never throws: what the message reports has happened whether or not it is heard of. */
  async publish(message: Message): Promise<void> {
    try {
      await this.redis.publish(this.name, JSON.stringify(message));
    } catch (error) {
      this.logger.warn(`could not publish: ${String(error)}`);
    }
  }
}
