import { EntitySchema } from 'typeorm';

/**
 * One refresh token of a session family (one sign-in on one device). Rotation adds a row
 * with the same family id and stamps the used one, so reuse of an old token can revoke
 * the whole family. `expiresAt` is the family's absolute end, copied to every row.
 * The family id is the session id the access tokens carry (`sid`).
 * The current row's `createdAt` is the family's last refresh (or its sign-in): idle expiry counts from it.
 */
export interface SessionEntity {
  id: string;
  userId: string;
  familyId: string;
  /** SHA-256 hex of the opaque refresh token; the token itself is only ever sent to the client. */
  refreshTokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** When this token was exchanged for its successor; a second use after that is reuse. */
  rotatedAt: Date | null;
  /** The row of the successor token. */
  replacedBy: string | null;
}

export const SessionSchema = new EntitySchema<SessionEntity>({
  name: 'Session',
  tableName: 'sessions',
  columns: {
    id: { type: 'char', length: 36, primary: true },
    userId: { name: 'user_id', type: 'char', length: 36 },
    familyId: { name: 'family_id', type: 'char', length: 36 },
    refreshTokenHash: { name: 'refresh_token_hash', type: 'char', length: 64, unique: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    expiresAt: { name: 'expires_at', type: 'datetime', precision: 3 },
    revokedAt: { name: 'revoked_at', type: 'datetime', precision: 3, nullable: true },
    rotatedAt: { name: 'rotated_at', type: 'datetime', precision: 3, nullable: true },
    replacedBy: { name: 'replaced_by', type: 'char', length: 36, nullable: true },
  },
  indices: [
    { name: 'idx_sessions_user_id', columns: ['userId'] },
    { name: 'idx_sessions_family_id', columns: ['familyId'] },
    { name: 'idx_sessions_user_revoked', columns: ['userId', 'revokedAt'] },
  ],
});
