import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SessionSchema, type SessionEntity } from './session.entity.js';
import { UserSchema, type UserEntity } from './user.entity.js';

/** What VerifyAccessToken needs to know about a token's session and its user, in one read. */
export interface SessionState {
  userGroup: string;
  userDisabledAt: Date | null;
  sessionExpiresAt: Date;
  sessionRevokedAt: Date | null;
}

interface SessionStateRow {
  group_name: string;
  disabled_at: Date | null;
  expires_at: Date;
  revoked_at: Date | null;
}

/** The only place that queries lexy_auth. */
@Injectable()
export class AuthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a new user and its first session atomically: no user without a way to use it. */
  async createUserWithSession(user: UserEntity, session: SessionEntity): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(UserSchema, user);
      await manager.insert(SessionSchema, session);
    });
  }

  /**
   * The session `sessionId` of user `userId` and that user's current state, or null when
   * either is missing. Keyed by both ids, so a session id never yields another user's state.
   */
  async findSessionState(userId: string, sessionId: string): Promise<SessionState | null> {
    const row = await this.dataSource
      .getRepository(SessionSchema)
      .createQueryBuilder('s')
      .innerJoin(UserSchema.options.name, 'u', 'u.id = s.userId')
      .select(['u.groupName AS group_name', 'u.disabledAt AS disabled_at'])
      .addSelect(['s.expiresAt AS expires_at', 's.revokedAt AS revoked_at'])
      .where('s.id = :sessionId AND s.userId = :userId', { sessionId, userId })
      .getRawOne<SessionStateRow>();
    if (!row) return null;
    return {
      userGroup: row.group_name,
      userDisabledAt: row.disabled_at,
      sessionExpiresAt: row.expires_at,
      sessionRevokedAt: row.revoked_at,
    };
  }
}
