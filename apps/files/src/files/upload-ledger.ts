import type { commonV1 } from '@lexy/contracts-grpc';
import type { EntityManager } from 'typeorm';
import type { FileEntity } from './file.entity.js';
import type { UploadDayEntity } from './upload-day.entity.js';

const DAY_MS = 24 * 60 * 60 * 1000;

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

/** The first day of a series of `days` days that ends on `today` ("YYYY-MM-DD"). */
export function seriesStart(today: string, days: number): string {
  return utcDay(new Date(Date.parse(`${today}T00:00:00.000Z`) - (days - 1) * DAY_MS));
}

/** One entry per day from seriesStart to `today`, oldest first; days without a ledger row count zero. */
export function dailySeries(today: string, days: number, rows: readonly UploadDayEntity[]): commonV1.DailyCount[] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const start = Date.parse(`${seriesStart(today, days)}T00:00:00.000Z`);
  return Array.from({ length: days }, (_, index) => {
    const day = utcDay(new Date(start + index * DAY_MS));
    const row = byDay.get(day);
    return { day, count: row?.uploads ?? 0, bytes: row?.uploadBytes ?? 0 };
  });
}
