import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

export interface SocketLocationSettings {
  /** Namespace of the keys (RELAY_REDIS_PREFIX). */
  prefix: string;
  /** How long one mark lasts; renewed with every heartbeat of the socket (the presence TTL). */
  ttlSeconds: number;
  /** This replica's peer URL (RELAY_PEER_URL), what the marks it writes hold. */
  self: string;
}

// Deletes the key only while it still names this replica: the device may have reconnected
// through another replica before its old socket here closed.
const DELETE_IF_MINE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Which relay replica holds each connected device's socket (ADR 0008): one Redis key per
 * device, `${prefix}socket:${deviceId}` → that replica's peer URL. A sender's replica reads it
 * to send the receiver's bytes there. Best effort like presence: without Redis a receiver on
 * another replica cannot be found, and its transfer fails PEER_GONE.
 */
export class SocketLocations {
  private readonly logger = new Logger('socket-locations');

  constructor(
    private readonly redis: Redis,
    private readonly settings: SocketLocationSettings,
  ) {}

  get self(): string {
    return this.settings.self;
  }

  keyOf(deviceId: string): string {
    return `${this.settings.prefix}socket:${deviceId}`;
  }

  /** The device's socket is on this replica (again), for the next TTL. */
  async markHere(deviceId: string): Promise<void> {
    try {
      await this.redis.set(this.keyOf(deviceId), this.settings.self, 'EX', this.settings.ttlSeconds);
    } catch (error) {
      this.logger.warn(`could not record where device ${deviceId} is connected: ${String(error)}`);
    }
  }

  /** The device's last socket here closed. */
  async markGone(deviceId: string): Promise<void> {
    try {
      await this.redis.eval(DELETE_IF_MINE, 1, this.keyOf(deviceId), this.settings.self);
    } catch (error) {
      this.logger.warn(`could not clear where device ${deviceId} was connected: ${String(error)}`);
    }
  }

  /** The peer URL of the replica holding the device's socket, or null (not connected, or Redis unreachable). */
  async replicaOf(deviceId: string): Promise<string | null> {
    try {
      return await this.redis.get(this.keyOf(deviceId));
    } catch (error) {
      this.logger.warn(`could not look up where device ${deviceId} is connected: ${String(error)}`);
      return null;
    }
  }
}
