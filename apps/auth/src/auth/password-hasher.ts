import argon2, { type HashOptions } from 'argon2';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config.js';

/** Hashes and checks passwords with argon2id; the password is used byte for byte as received. */
@Injectable()
export class PasswordHasher {
  private readonly options: HashOptions;
  private dummyHash: Promise<string> | undefined;

  constructor(@Inject(AUTH_CONFIG) config: AuthConfig) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: config.AUTH_ARGON2_MEMORY_KIB,
      timeCost: config.AUTH_ARGON2_TIME_COST,
    };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  /** False for a wrong password and for a hash that cannot be read. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the same work as checking a real password, for a login whose account does not
   * exist or cannot log in, so the answer's timing does not tell (AUTH-06 d). The dummy hash
   * is made once with the live cost settings, of a random secret nobody knows.
   */
  async burn(password: string): Promise<void> {
    this.dummyHash ??= this.hash(randomBytes(32).toString('base64url'));
    await this.verify(await this.dummyHash, password);
  }
}
