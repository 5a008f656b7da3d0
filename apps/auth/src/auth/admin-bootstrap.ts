import { isDuplicateKeyError } from '@lexy/server-database';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config.js';
import { AuthRepository } from './auth.repository.js';
import { Clock } from './clock.js';
import { ADMIN_GROUP, normalizeEmail } from './credentials.js';
import { PasswordHasher } from './password-hasher.js';
import { SECURITY_LOG, type SecurityLog } from './security-log.js';

/**
 * Creates the first administrator from ADMIN_EMAIL / ADMIN_PASSWORD when no user has that
 * email. An existing user is left exactly as it is: restarting with another password
 * never resets one, and there is no built-in password at all.
 */
@Injectable()
export class AdminBootstrap implements OnModuleInit {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly repository: AuthRepository,
    private readonly passwords: PasswordHasher,
    private readonly clock: Clock,
    @Inject(SECURITY_LOG) private readonly securityLog: SecurityLog,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureAdmin();
  }

  async ensureAdmin(): Promise<void> {
    const { ADMIN_EMAIL: rawEmail, ADMIN_PASSWORD: password } = this.config;
    if (rawEmail === undefined || password === undefined) return;
    const email = normalizeEmail(rawEmail);
    if (await this.repository.findUserByEmail(email)) return;
    try {
      await this.repository.createUser({
        id: uuidv7(),
        groupName: ADMIN_GROUP,
        email,
        passwordHash: await this.passwords.hash(password),
        displayName: null,
        fingerprintHash: null,
        disabledAt: null,
        createdAt: this.clock.now(),
      });
    } catch (error) {
      // Another replica starting at the same moment created it first.
      if (isDuplicateKeyError(error)) return;
      throw error;
    }
    this.securityLog.info({ event: 'admin_bootstrapped' }, 'administrator account created from ADMIN_EMAIL');
  }
}
