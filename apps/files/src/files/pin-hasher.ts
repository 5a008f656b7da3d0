import argon2, { type HashOptions } from 'argon2';
import { Injectable } from '@nestjs/common';

/**
 * argon2id at OWASP's second recommended setting (19 MiB, 2 passes, 1 lane): a stolen
 * database then costs real work per PIN guess, while one verification stays cheap enough
 * for a pickup. The failure caps, not the hash, are what stop online guessing.
 */
const PIN_HASH_OPTIONS: HashOptions = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Hashes and checks pickup PINs; argon2.verify compares in constant time. */
@Injectable()
export class PinHasher {
  hash(pin: string): Promise<string> {
    return argon2.hash(pin, PIN_HASH_OPTIONS);
  }

  /** False for a wrong PIN and for a hash that cannot be read. */
  async verify(hash: string, pin: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, pin);
    } catch {
      return false;
    }
  }
}
