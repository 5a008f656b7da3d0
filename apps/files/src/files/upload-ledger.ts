import type { EntityManager } from 'typeorm';
import type { FileEntity } from './file.entity.js';

/** The UTC day of an instant, "YYYY-MM-DD". */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Counts a committed file in the ledger of its UTC day, in the commit's transaction: one
 * upsert, so the first commit of a day creates the row and concurrent ones add to it.
 */
export async function countUpload(manager: EntityManager, file: Pick<FileEntity, 'createdAt' | 'sizeBytes'>) {
  await manager.query(
    `INSERT INTO upload_days (day, uploads, upload_bytes) VALUES (?, 1, ?)
       ON DUPLICATE KEY UPDATE uploads = uploads + 1, upload_bytes = upload_bytes + ?`,
    [utcDay(file.createdAt), file.sizeBytes, file.sizeBytes],
  );
}
