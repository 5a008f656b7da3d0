import { EntitySchema } from 'typeorm';

/** Bytes an administrator took down: a commit of the same SHA-256 is refused (UPLOAD_BLOCKED). */
export interface BlockedContentEntity {
  sha256: string;
  blockedAt: Date;
  /** The file whose takedown blocked them, and the administrator who did it. */
  fileId: string;
  actorId: string;
}

export const BlockedContentSchema = new EntitySchema<BlockedContentEntity>({
  name: 'BlockedContent',
  tableName: 'blocked_content',
  columns: {
    sha256: { type: 'char', length: 64, primary: true },
    blockedAt: { name: 'blocked_at', type: 'datetime', precision: 3 },
    fileId: { name: 'file_id', type: 'char', length: 36 },
    actorId: { name: 'actor_id', type: 'varchar', length: 96 },
  },
});
