import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import type { Caller } from '../identity/caller.js';
import { REDIS } from '../redis/redis.provider.js';

/** Long enough to start a download after a click, short enough that a leaked URL is soon worthless. */
export const DOWNLOAD_PASS_TTL_SECONDS = 60;
/** 256 bits of randomness: nobody guesses one within its minute. */
const PASS_BYTES = 32;

/** What a pass stands for: a pickup that passed the limits, with the PIN and link token it was made with. */
export interface PassedPickup {
  code: string;
  linkToken?: string;
  pin?: string;
  /**
   * Who asked for the pass: the download is theirs (their group's speed and traffic quota), as
   * it would be had their link been able to carry the bearer token.
   */
  caller?: Caller;
}

export interface IssuedPass {
  pass: string;
  expiresInSeconds: number;
}

/** The part of ioredis the passes use (a fake one in unit tests). */
export type PassStore = Pick<Redis, 'set' | 'getdel'>;

function unavailable(): DomainError {
  return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Downloads with a PIN are unavailable right now');
}

/**
 * Single-use download passes (`/files/pickup/:code/download?pass=`): a plain link, which a
 * browser streams straight to disk, cannot send X-Pickup-Pin or X-Pickup-Challenge, so a client
 * proves both once in `POST …/download-pass` and opens the link with the pass instead.
 *
 * The Redis key is the pass's SHA-256 and the value is encrypted with a key derived from the
 * pass itself, so Redis never holds a usable pass nor a readable PIN. GETDEL takes a pass in one
 * step: of two requests with one pass exactly one wins, and a replay finds nothing.
 */
@Injectable()
export class DownloadPasses {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: PassStore,
    @Inject(GATEWAY_CONFIG) config: Pick<GatewayConfig, 'PICKUP_REDIS_PREFIX'>,
  ) {
    this.prefix = `${config.PICKUP_REDIS_PREFIX}download-pass:`;
  }

  async issue(pickup: PassedPickup): Promise<IssuedPass> {
    const pass = randomBytes(PASS_BYTES).toString('base64url');
    try {
      await this.redis.set(this.keyOf(pass), seal(pass, pickup), 'EX', DOWNLOAD_PASS_TTL_SECONDS);
    } catch {
      throw unavailable();
    }
    return { pass, expiresInSeconds: DOWNLOAD_PASS_TTL_SECONDS };
  }

  /** The pickup a pass stands for, taking the pass; null for an unknown, expired or used one. */
  async redeem(pass: string): Promise<PassedPickup | null> {
    let sealed: string | null;
    try {
      sealed = await this.redis.getdel(this.keyOf(pass));
    } catch {
      throw unavailable();
    }
    return sealed === null ? null : unseal(pass, sealed);
  }

  private keyOf(pass: string): string {
    return this.prefix + createHash('sha256').update(`key:${pass}`).digest('hex');
  }
}

const cipherKey = (pass: string) => createHash('sha256').update(`cipher:${pass}`).digest();

/** AES-256-GCM under a key only the pass holder can derive; the key is used once, so a zero IV is safe. */
function seal(pass: string, pickup: PassedPickup): string {
  const cipher = createCipheriv('aes-256-gcm', cipherKey(pass), Buffer.alloc(12));
  const body = Buffer.concat([cipher.update(JSON.stringify(pickup), 'utf8'), cipher.final()]);
  return Buffer.concat([cipher.getAuthTag(), body]).toString('base64');
}

function unseal(pass: string, sealed: string): PassedPickup | null {
  try {
    const bytes = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', cipherKey(pass), Buffer.alloc(12));
    decipher.setAuthTag(bytes.subarray(0, 16));
    const text = Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8');
    const { code, linkToken, pin, caller } = JSON.parse(text) as Partial<PassedPickup>;
    if (typeof code !== 'string') return null;
    return {
      code,
      ...(typeof linkToken === 'string' ? { linkToken } : {}),
      ...(typeof pin === 'string' ? { pin } : {}),
      ...(caller && typeof caller === 'object' ? { caller } : {}),
    };
  } catch {
    return null;
  }
}
