import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { RelayChannel } from '../redis/relay-channel.js';
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
  private readonly channel: RelayChannel<AccountEvent>;
  private readonly listeners: ((event: AccountEvent) => void)[] = [];

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_SUBSCRIBER) subscriber: Redis,
    private readonly devices: ConnectedDevices,
    @Inject(RELAY_CONFIG) config: RelayConfig,
  ) {
    this.channel = new RelayChannel(redis, subscriber, `${config.RELAY_REDIS_PREFIX}events`);
  }

  onModuleInit(): void {
    this.channel.listen((event) => {
      this.devices.deliver(event.ownerId, event, event.event);
      for (const listener of this.listeners) listener(event);
    });
  }

  /** Hears every event this replica delivers (the relayed streams stop on a transfer's end). */
  onEvent(listener: (event: AccountEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Never throws: the change the event reports has happened whether or not it is heard of. */
  publish(event: AccountEvent): Promise<void> {
    return this.channel.publish(event);
  }
}
