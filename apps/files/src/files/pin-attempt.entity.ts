import { EntitySchema } from 'typeorm';

/** Wrong PINs for one file from one source (a client-address key, stored as its SHA-256). */
export interface PinAttemptEntity {
  fileId: string;
  sourceHash: string;
  failures: number;
  windowStartedAt: Date | null;
  lockedUntil: Date | null;
}

export const PinAttemptSchema = new EntitySchema<PinAttemptEntity>({
  name: 'PinAttempt',
  tableName: 'pin_attempts',
  columns: {
    fileId: { name: 'file_id', type: 'char', length: 36, primary: true },
    sourceHash: { name: 'source_hash', type: 'char', length: 64, primary: true },
    failures: { type: 'int', default: 0 },
    windowStartedAt: { name: 'window_started_at', type: 'datetime', precision: 3, nullable: true },
    lockedUntil: { name: 'locked_until', type: 'datetime', precision: 3, nullable: true },
  },
});
