import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

export interface PresenceSettings {
  /** Namespace of the keys (RELAY_REDIS_PREFIX). */
  prefix: string;
  /** How long one mark keeps a device online (RELAY_PRESENCE_TTL_SECONDS). */
  ttlSeconds: number;
}

/**
 * Which devices are online: one Redis key per device, `${prefix}presence:${deviceId}`, that
 * lives for the presence TTL after each mark. Heartbeats mark devices now; the WebSocket code
 * will mark them too (and unmark them when a socket closes). Redis only: presence is
 * short-lived, shared by every replica, and forgetting it loses nothing but a green dot.
 */
export class Presence {
  private readonly logger = new Logger('presence');

  constructor(
    private readonly redis: Redis,
    private readonly settings: PresenceSettings,
  ) {}

  keyOf(deviceId: string): string {
    return `${this.settings.prefix}presence:${deviceId}`;
  }

  /**
   * Online for the next TTL. SERVICE_UNAVAILABLE when Redis cannot be reached: the mark is
   * the whole point of the call, so its caller must know it did not happen.
   */
  async markOnline(deviceId: string): Promise<void> {
    try {
      await this.redis.set(this.keyOf(deviceId), '1', 'EX', this.settings.ttlSeconds);
    } catch (error) {
      this.logger.warn(`could not mark device ${deviceId} online: ${String(error)}`);
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Presence is unavailable right now');
    }
  }

  /** Offline at once. A failure is only logged: the key dies with its TTL anyway. */
  async markOffline(deviceId: string): Promise<void> {
    try {
      await this.redis.del(this.keyOf(deviceId));
    } catch (error) {
      this.logger.warn(`could not mark device ${deviceId} offline: ${String(error)}`);
    }
  }

  /**
   * Whether each device is online, in the order given, in one round trip (MGET). While Redis
   * cannot be reached every device reads offline and a warning is logged, so a listing of
   * devices still answers.
   */
  async onlineOf(deviceIds: readonly string[]): Promise<boolean[]> {
    if (deviceIds.length === 0) return [];
    try {
      const values = await this.redis.mget(deviceIds.map((id) => this.keyOf(id)));
      return values.map((value) => value !== null);
    } catch (error) {
      this.logger.warn(`presence unavailable, every device reads offline: ${String(error)}`);
      return deviceIds.map(() => false);
    }
  }
}
