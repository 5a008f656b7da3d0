import { appendAudit, type AuditRecord } from '@lexy/server-audit';
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
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
  disabled_at: Date | string | null;
  expires_at: Date | string;
  revoked_at: Date | string | null;
}

/** The successor of a refresh token, made by the caller of LockedRefreshToken.rotate. */
export interface NextRefreshToken {
  id: string;
  refreshTokenHash: string;
}

/**
 * A presented refresh token's row, and its successor's, both locked for the rest of one
 * transaction: whatever is decided about them cannot be overtaken by a concurrent use.
 */
export interface LockedRefreshToken {
  presented: SessionEntity;
  /** The row that replaced `presented`, or null when it was never rotated. */
  successor: SessionEntity | null;
  user(): Promise<UserEntity | null>;
  /** Inserts `next` as the family's current token and marks `presented` rotated into it. */
  rotate(next: NextRefreshToken, now: Date): Promise<void>;
  /** Revokes every row of the family. */
  revokeFamily(now: Date): Promise<void>;
}

export interface UserChanges {
  groupName?: string;
  disabled?: boolean;
}

/** With UserAdminRepository (the admin console's reads), the only place that queries lexy_auth. */
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

  /** Inserts a user without a session (the bootstrap administrator). */
  async createUser(user: UserEntity): Promise<void> {
    await this.dataSource.getRepository(UserSchema).insert(user);
  }

  async insertSession(session: SessionEntity): Promise<void> {
    await this.dataSource.getRepository(SessionSchema).insert(session);
  }

  findUserById(userId: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserSchema).findOneBy({ id: userId });
  }

  /** By normalised email (the column's collation compares case-insensitively as well). */
  findUserByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserSchema).findOneBy({ email });
  }

  /**
   * The session (family) `sessionId` of user `userId` and that user's current state, or
   * null when either is missing. Keyed by both ids, so a session id never yields another
   * user's state. A family counts as revoked when any of its rows is.
   */
  async findSessionState(userId: string, sessionId: string): Promise<SessionState | null> {
    const rows = (await this.dataSource.query(
      `SELECT u.group_name, u.disabled_at, MIN(s.expires_at) AS expires_at, MAX(s.revoked_at) AS revoked_at
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.family_id = ? AND s.user_id = ?
        GROUP BY u.id, u.group_name, u.disabled_at`,
      [sessionId, userId],
    )) as SessionStateRow[];
    const row = rows[0];
    if (!row) return null;
    return {
      userGroup: row.group_name,
      userDisabledAt: toDate(row.disabled_at),
      sessionExpiresAt: toDate(row.expires_at) ?? new Date(0),
      sessionRevokedAt: toDate(row.revoked_at),
    };
  }

  /**
   * Runs `work` in one transaction with the row of the refresh token `tokenHash` locked
   * (SELECT … FOR UPDATE), and its successor's row too, or with null when no row has that
   * hash. Two concurrent uses of one token are serialised on that lock: the second sees
   * what the first committed, never a half-done rotation. Whatever `work` throws rolls
   * everything back.
   */
  async withLockedRefreshToken<T>(
    tokenHash: string,
    work: (locked: LockedRefreshToken | null) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const sessions = manager.getRepository(SessionSchema);
      const lockById = (id: string | null | undefined) =>
        id ? sessions.createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id }).getOne() : null;
      // Found by its token without a lock, then locked by primary key: a locking read through
      // the unique token index would also lock the gap before the row, where the successor's
      // token may land, and two tabs refreshing at once would deadlock (one waiting for the
      // row, the other inserting its successor into that gap).
      const found = await sessions.findOne({ where: { refreshTokenHash: tokenHash }, select: { id: true } });
      const presented = await lockById(found?.id);
      if (!presented) return work(null);
      const successor = await lockById(presented.replacedBy);
      return work({
        presented,
        successor,
        user: () => manager.findOneBy(UserSchema, { id: presented.userId }),
        rotate: async (next, now) => {
          await manager.insert(SessionSchema, {
            id: next.id,
            userId: presented.userId,
            familyId: presented.familyId,
            refreshTokenHash: next.refreshTokenHash,
            createdAt: now,
            expiresAt: presented.expiresAt,
            revokedAt: null,
            rotatedAt: null,
            replacedBy: null,
          });
          await manager.update(SessionSchema, { id: presented.id }, { rotatedAt: now, replacedBy: next.id });
        },
        revokeFamily: (now) => this.revokeRows(manager, { familyId: presented.familyId }, now),
      });
    });
  }

  /** The user and family a refresh token belongs to, whatever its state. */
  async findFamilyOfRefreshToken(tokenHash: string): Promise<{ userId: string; familyId: string } | null> {
    const row = await this.dataSource.getRepository(SessionSchema).findOne({
      select: { userId: true, familyId: true },
      where: { refreshTokenHash: tokenHash },
    });
    return row ? { userId: row.userId, familyId: row.familyId } : null;
  }

  /**
   * Revokes those of `familyIds` that belong to `userId` and returns them (all that
   * belong, revoked now or before, so a repeated logout republishes the same markers).
   */
  async revokeFamilies(userId: string, familyIds: string[], now: Date): Promise<string[]> {
    if (familyIds.length === 0) return [];
    return this.dataSource.transaction(async (manager) => {
      const owned = await this.ownedFamilies(manager, userId, familyIds);
      if (owned.length > 0) await this.revokeRows(manager, { userId, familyId: In(owned) }, now);
      return owned;
    });
  }

  /**
   * Sets a new password hash, revokes the session `currentFamilyId` (when it is the
   * user's) and, with `signOutOthers`, every other family still live after `liveAfter`,
   * and inserts `freshSession`; all or nothing. Returns the revoked family ids.
   */
  async replacePassword(
    userId: string,
    passwordHash: string,
    change: { currentFamilyId: string | null; signOutOthers: boolean; freshSession: SessionEntity; liveAfter: Date },
    now: Date,
  ): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.update(UserSchema, { id: userId }, { passwordHash });
      const revoke = new Set<string>();
      if (change.currentFamilyId) {
        for (const id of await this.ownedFamilies(manager, userId, [change.currentFamilyId])) revoke.add(id);
      }
      if (change.signOutOthers) {
        for (const id of await this.liveFamilies(manager, userId, change.liveAfter)) revoke.add(id);
      }
      const familyIds = [...revoke];
      if (familyIds.length > 0) await this.revokeRows(manager, { userId, familyId: In(familyIds) }, now);
      await manager.insert(SessionSchema, change.freshSession);
      return familyIds;
    });
  }

  /**
   * Applies an admin's change to a user and appends its audit record (made by `audit` from the
   * user before and after), all in one transaction: no change without its record. Disabling
   * revokes every session of the user and returns the families that were live after
   * `liveAfter` (their markers must be published). Null when the user does not exist.
   */
  async updateUser(
    userId: string,
    changes: UserChanges,
    now: Date,
    liveAfter: Date,
    audit: (before: UserEntity, after: UserEntity) => AuditRecord,
  ): Promise<{ user: UserEntity; revokedFamilyIds: string[] } | null> {
    return this.dataSource.transaction(async (manager) => {
      const user = await manager
        .getRepository(UserSchema)
        .createQueryBuilder('u')
        .setLock('pessimistic_write')
        .where('u.id = :userId', { userId })
        .getOne();
      if (!user) return null;
      const patch: Partial<UserEntity> = {};
      if (changes.groupName !== undefined) patch.groupName = changes.groupName;
      if (changes.disabled === true && !user.disabledAt) patch.disabledAt = now;
      if (changes.disabled === false) patch.disabledAt = null;
      if (Object.keys(patch).length > 0) await manager.update(UserSchema, { id: userId }, patch);

      let revokedFamilyIds: string[] = [];
      if (changes.disabled === true) {
        revokedFamilyIds = await this.liveFamilies(manager, userId, liveAfter);
        await this.revokeRows(manager, { userId }, now);
      }
      const updated = { ...user, ...patch };
      await appendAudit(manager, audit(user, updated), now);
      return { user: updated, revokedFamilyIds };
    });
  }

  private async ownedFamilies(manager: EntityManager, userId: string, familyIds: string[]): Promise<string[]> {
    const rows = (await manager
      .getRepository(SessionSchema)
      .createQueryBuilder('s')
      .select('DISTINCT s.familyId', 'family_id')
      .where('s.userId = :userId AND s.familyId IN (:...familyIds)', { userId, familyIds })
      .getRawMany()) as Array<{ family_id: string }>;
    return rows.map((row) => row.family_id);
  }

  /** Families of the user not revoked and not ended before `liveAfter`. */
  private async liveFamilies(manager: EntityManager, userId: string, liveAfter: Date): Promise<string[]> {
    const rows = (await manager
      .getRepository(SessionSchema)
      .createQueryBuilder('s')
      .select('DISTINCT s.familyId', 'family_id')
      .where('s.userId = :userId AND s.revokedAt IS NULL AND s.expiresAt > :liveAfter', { userId, liveAfter })
      .getRawMany()) as Array<{ family_id: string }>;
    return rows.map((row) => row.family_id);
  }

  private async revokeRows(
    manager: EntityManager,
    where: { userId?: string; familyId?: string | ReturnType<typeof In<string>> },
    now: Date,
  ): Promise<void> {
    await manager.update(SessionSchema, { ...where, revokedAt: IsNull() }, { revokedAt: now });
  }
}

function toDate(value: Date | string | null): Date | null {
  if (value === null) return null;
  if (value instanceof Date) return value;
  // mysql2 returns aggregates of datetime columns as 'YYYY-MM-DD hh:mm:ss.fff' strings in UTC.
  return new Date(`${value.replace(' ', 'T')}Z`);
}
