import type { authV1 } from '@lexy/contracts-grpc';
import { isDuplicateKeyError } from '@lexy/server-database';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { AuthRepository } from './auth.repository.js';
import { callerUserId, unauthenticated, UUID } from './caller.js';
import { Clock } from './clock.js';
import {
  characterCount,
  isPlausibleEmail,
  MAX_PASSWORD_LENGTH,
  normalizeEmail,
  NORMAL_GROUP,
  requireDisplayName,
  requireEmail,
  requirePassword,
} from './credentials.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { RevocationPublisher } from './revocation-publisher.js';
import { REFRESH_TOKEN_PATTERN, SessionFactory } from './session-factory.js';
import { sha256Hex } from './sha256.js';
import type { UserEntity } from './user.entity.js';
import { toUserContract } from './user.mapper.js';

/** Registered accounts: sign-up, sign-in, sign-out and the caller's own user (admin changes are UserAdminService's). */
@Injectable()
export class AccountService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly sessions: SessionFactory,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly revocations: RevocationPublisher,
    private readonly clock: Clock,
  ) {}

  async register(request: authV1.RegisterRequest): Promise<authV1.RegisterResponse> {
    const email = requireEmail(request.email);
    const password = requirePassword(request.password);
    const displayName = requireDisplayName(request.displayName);
    const passwordHash = await this.passwords.hash(password);
    const now = this.clock.now();
    const user: UserEntity = {
      id: uuidv7(),
      groupName: NORMAL_GROUP,
      email,
      passwordHash,
      displayName,
      fingerprintHash: null,
      disabledAt: null,
      createdAt: now,
    };
    const family = this.sessions.newFamily(user.id, now);
    try {
      // The unique index decides: no read-then-insert race between two sign-ups.
      await this.repository.createUserWithSession(user, family.session);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DomainError(ErrorCode.EMAIL_TAKEN, 'This email is already registered');
      throw error;
    }
    return { session: await this.sessions.toAuthSession(user, family.session.familyId, family.refreshToken) };
  }

  /**
   * Unknown email, wrong password and disabled account give the same error after the
   * same work (a dummy argon2id check when there is no hash to check), so the answer
   * tells nothing about which accounts exist (AUTH-06 d). The throttle runs first.
   */
  async login(request: authV1.LoginRequest): Promise<authV1.LoginResponse> {
    const email = normalizeEmail(typeof request.email === 'string' ? request.email : '');
    const password = typeof request.password === 'string' ? request.password : '';
    const source = typeof request.clientAddress === 'string' ? request.clientAddress.trim() : '';
    const attempt = await this.throttle.begin(email, source);

    const wellFormed = isPlausibleEmail(email) && characterCount(password) <= MAX_PASSWORD_LENGTH;
    const user = wellFormed ? await this.repository.findUserByEmail(email) : null;
    let matches = false;
    if (user?.passwordHash && wellFormed) {
      matches = await this.passwords.verify(user.passwordHash, password);
    } else {
      await this.passwords.burn(wellFormed ? password : '');
    }
    if (!user || !matches || user.disabledAt) throw invalidCredentials();
    await attempt.succeeded();

    const family = this.sessions.newFamily(user.id, this.clock.now());
    await this.repository.insertSession(family.session);
    return { session: await this.sessions.toAuthSession(user, family.session.familyId, family.refreshToken) };
  }

  /**
   * Ends the caller's session `sessionId` and the family of `refreshToken`, each only if
   * it is the caller's; idempotent (repeating it republishes the same revocation markers).
   */
  async logout(request: authV1.LogoutRequest): Promise<authV1.LogoutResponse> {
    const userId = callerUserId();
    const families = new Set<string>();
    if (typeof request.sessionId === 'string' && UUID.test(request.sessionId)) families.add(request.sessionId);
    if (typeof request.refreshToken === 'string' && REFRESH_TOKEN_PATTERN.test(request.refreshToken)) {
      const family = await this.repository.findFamilyOfRefreshToken(sha256Hex(request.refreshToken));
      if (family?.userId === userId) families.add(family.familyId);
    }
    const revoked = await this.repository.revokeFamilies(userId, [...families], this.clock.now());
    await this.revocations.sessionsRevoked(revoked);
    return {};
  }

  async getMe(): Promise<authV1.GetMeResponse> {
    const user = await this.repository.findUserById(callerUserId());
    if (!user) throw unauthenticated();
    return { user: toUserContract(user) };
  }

  /**
   * Checks the current password (counted against the account's login-failure limit, so a
   * stolen access token cannot be used to guess it), stores the new one, and always moves
   * the calling device to a fresh session (ASVS 7.2.4); optionally ends every other one.
   */
  async changePassword(request: authV1.ChangePasswordRequest): Promise<authV1.ChangePasswordResponse> {
    const userId = callerUserId();
    const newPassword = requirePassword(request.newPassword, 'newPassword');
    const user = await this.repository.findUserById(userId);
    if (!user) throw unauthenticated();
    if (user.disabledAt) throw new DomainError(ErrorCode.ACCOUNT_DISABLED, 'Account disabled');

    const attempt = await this.throttle.begin(user.email ?? user.id, null);
    const current = typeof request.currentPassword === 'string' ? request.currentPassword : '';
    let matches = false;
    if (user.passwordHash && characterCount(current) <= MAX_PASSWORD_LENGTH) {
      matches = await this.passwords.verify(user.passwordHash, current);
    } else {
      await this.passwords.burn('');
    }
    if (!matches) throw invalidCredentials();
    await attempt.succeeded();

    const passwordHash = await this.passwords.hash(newPassword);
    const now = this.clock.now();
    const family = this.sessions.newFamily(userId, now);
    const currentFamilyId =
      typeof request.sessionId === 'string' && UUID.test(request.sessionId) ? request.sessionId : null;
    const revoked = await this.repository.replacePassword(
      userId,
      passwordHash,
      {
        currentFamilyId,
        signOutOthers: request.signOutOtherSessions === true,
        freshSession: family.session,
        liveAfter: this.sessions.liveAfter(now),
      },
      now,
    );
    await this.revocations.sessionsRevoked(revoked);
    return {
      session: await this.sessions.toAuthSession(
        { ...user, passwordHash },
        family.session.familyId,
        family.refreshToken,
      ),
    };
  }
}

function invalidCredentials(): DomainError {
  return new DomainError(ErrorCode.INVALID_CREDENTIALS, 'Invalid email or password');
}
