import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { RelayChannel } from '../redis/relay-channel.js';
import { REDIS, REDIS_SUBSCRIBER } from '../redis/redis.providers.js';
import { ConnectedDevices } from '../socket/connected-devices.js';
import { CLOSE_CODES } from '../socket/socket-frames.js';

/** A deleted device, as announced to every replica. */
export interface DeviceRevocation {
  ownerId: string;
  deviceId: string;
}

/** The sockets a revocation closes: whatever holds them (ConnectedDevices, a fake in unit tests). */
export type RevocableSockets = Pick<ConnectedDevices, 'sessionOf'>;

/**
 * Closes every open socket of a device on this replica with 4401 (security-cases WS-02: a
 * revoked device is unauthenticated). `refuse` marks a session as closing, so `sessionOf`
 * no longer finds it and the loop ends once the device has no open socket left.
 */
export function closeSocketsOf(sockets: RevocableSockets, { ownerId, deviceId }: DeviceRevocation): number {
  let closed = 0;
  for (let session = sockets.sessionOf(ownerId, deviceId); session; session = sockets.sessionOf(ownerId, deviceId)) {
    session.refuse(CLOSE_CODES.unauthenticated, 'This device was removed');
    closed += 1;
  }
  return closed;
}

/**
 * Tells every relay replica that a device was deleted, so each closes the device's sockets it
 * holds. A channel of its own beside the account events' (account-events.ts): this message is
 * for the relay, never delivered to a client. Best effort like those events: while Redis is down
 * the message is lost (logged) and the socket lives on until it closes, but nothing it sends
 * for the deleted device's transfers is accepted, and it cannot authenticate again.
 */
@Injectable()
export class DeviceRevocations implements OnModuleInit {
  private readonly channel: RelayChannel<DeviceRevocation>;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_SUBSCRIBER) subscriber: Redis,
    private readonly sockets: ConnectedDevices,
    @Inject(RELAY_CONFIG) config: RelayConfig,
  ) {
    this.channel = new RelayChannel(redis, subscriber, `${config.RELAY_REDIS_PREFIX}device-revocations`);
  }

  onModuleInit(): void {
    this.channel.listen((revocation) => {
      if (typeof revocation.ownerId !== 'string' || typeof revocation.deviceId !== 'string') return;
      closeSocketsOf(this.sockets, revocation);
    });
  }

  /** Never throws: the device is deleted whether or not the replicas hear of it. */
  publish(revocation: DeviceRevocation): Promise<void> {
    return this.channel.publish(revocation);
  }
}
