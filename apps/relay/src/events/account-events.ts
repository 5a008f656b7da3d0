import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { REDIS, REDIS_SUBSCRIBER } from '../redis/redis.providers.js';
import { ConnectedDevices, type Recipients } from '../socket/connected-devices.js';
import type { ServerEvent } from '../socket/socket-frames.js';

/** One event on its way to an account's devices, wherever they are connected. */
export interface AccountEvent extends Recipients {
  ownerId: string;
  event: ServerEvent;
}

/**
 * Carries events to an account's sockets on every relay replica: each is published on one
 * Redis channel, and every replica delivers what it hears to the sockets it holds. One
 * channel, the account in the message, rather than a channel per account: a replica then
 * never (un)subscribes as sockets come and go, and events are small and few. Delivery is
 * best effort, like presence: while Redis is down events are lost (logged), never queued.
 */
@Injectable()
export class AccountEvents implements OnModuleInit {
  private readonly logger = new Logger('account-events');
  private readonly channel: string;
  private readonly listeners: ((event: AccountEvent) => void)[] = [];

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    private readonly devices: ConnectedDevices,
    @Inject(RELAY_CONFIG) config: RelayConfig,
  ) {
    this.channel = `${config.RELAY_REDIS_PREFIX}events`;
  }

  onModuleInit(): void {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.deliver(message);
    });
    // ioredis subscribes again by itself after a reconnect.
    this.subscriber.subscribe(this.channel).catch((error: unknown) => {
      this.logger.warn(`not subscribed to account events: ${String(error)}`);
    });
  }

  /** Hears every event this replica delivers (the relayed streams stop on a transfer's end). */
  onEvent(listener: (event: AccountEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Never throws: the change the event reports has happened whether or not it is heard of. */
  async publish(event: AccountEvent): Promise<void> {
    try {
      await this.redis.publish(this.channel, JSON.stringify(event));
    } catch (error) {
      this.logger.warn(`could not publish ${event.event.type} to account ${event.ownerId}: ${String(error)}`);
    }
  }

  private deliver(message: string): void {
    let parsed: AccountEvent;
    try {
      parsed = JSON.parse(message) as AccountEvent;
    } catch {
      this.logger.warn('dropped an account event that is not JSON');
      return;
    }
    this.devices.deliver(parsed.ownerId, parsed, parsed.event);
    for (const listener of this.listeners) listener(parsed);
  }
}
