import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { REDIS } from '../redis/redis.providers.js';
import type { AuthenticatedDevice } from './socket-authenticator.js';

/** security-cases WS-01 (e): a ticket valid for 60 s or less. */
export const WS_TICKET_TTL_SECONDS = 60;
/** 256 bits of randomness: nobody guesses one within its minute. */
const TICKET_BYTES = 32;

export interface IssuedTicket {
  ticket: string;
  expiresInSeconds: number;
}

/** The part of ioredis the tickets use (a fake one in unit tests). */
export type TicketStore = Pick<Redis, 'set' | 'getdel'>;

/** What a ticket opens, as stored: the device, with the group of the token that asked for it. */
type TicketGrant = AuthenticatedDevice;

function invalidTicket(): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, 'The WebSocket ticket is invalid, expired or used');
}

/**
 * Single-use WebSocket tickets (`/ws?ticket=`) for clients that cannot name a subprotocol: the
 * only credential that may travel in an upgrade's URL, since a URL ends up in logs and history.
 * One Redis key per ticket under RELAY_REDIS_PREFIX, shared by every replica; the key is the
 * ticket's SHA-256, so Redis never holds a usable ticket. GETDEL takes it in one step: of two
 * upgrades with one ticket exactly one wins, and a replay finds nothing.
 */
@Injectable()
export class SocketTickets {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: TicketStore,
    private readonly devices: DevicesRepository,
    @Inject(RELAY_CONFIG) config: Pick<RelayConfig, 'RELAY_REDIS_PREFIX'>,
  ) {
    this.prefix = `${config.RELAY_REDIS_PREFIX}ws-ticket:`;
  }

  /** A ticket for one device the caller has checked is theirs. */
  async issue(grant: TicketGrant): Promise<IssuedTicket> {
    const ticket = randomBytes(TICKET_BYTES).toString('base64url');
    try {
      await this.redis.set(this.keyOf(ticket), JSON.stringify(grant), 'EX', WS_TICKET_TTL_SECONDS);
    } catch {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'WebSocket tickets are unavailable right now');
    }
    return { ticket, expiresInSeconds: WS_TICKET_TTL_SECONDS };
  }

  /**
   * The device a ticket opens, taking the ticket: UNAUTHENTICATED for an unknown, expired or
   * used one, and for a device deleted since it was issued.
   */
  async redeem(ticket: string): Promise<AuthenticatedDevice> {
    let stored: string | null;
    try {
      stored = await this.redis.getdel(this.keyOf(ticket));
    } catch {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'WebSocket tickets are unavailable right now');
    }
    const grant = parseGrant(stored);
    if (!grant) throw invalidTicket();
    const device = await this.devices.findDevice(grant.ownerId, grant.deviceId);
    if (!device) throw invalidTicket();
    return { ...grant, deviceId: device.id };
  }

  private keyOf(ticket: string): string {
    return this.prefix + createHash('sha256').update(ticket).digest('hex');
  }
}

function parseGrant(stored: string | null): TicketGrant | null {
  if (stored === null) return null;
  try {
    const { ownerId, deviceId, group } = JSON.parse(stored) as Partial<TicketGrant>;
    const valid = typeof ownerId === 'string' && typeof deviceId === 'string' && typeof group === 'string';
    return valid ? { ownerId, deviceId, group } : null;
  } catch {
    return null;
  }
}
