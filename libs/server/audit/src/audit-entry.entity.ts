import { EntitySchema } from 'typeorm';

/** One row of `audit_log`: an admin action, written with the change it records. */
export interface AuditEntryEntity {
  /** UUIDv7, so ids order like times. */
  id: string;
  at: Date;
  actorId: string;
  action: string;
  /** "<kind>:<id>", e.g. "user:0190…", "group:vip". */
  target: string;
  /** JSON text of the target's fields before and after, and of anything else worth keeping. */
  beforeJson: string;
  afterJson: string;
  detailsJson: string;
  requestId: string;
}

export const AUDIT_LOG_TABLE = 'audit_log';

export const AuditEntrySchema = new EntitySchema<AuditEntryEntity>({
  name: 'AuditEntry',
  tableName: AUDIT_LOG_TABLE,
  columns: {
    id: { type: 'char', length: 36, primary: true },
    at: { type: 'datetime', precision: 3 },
    actorId: { name: 'actor_id', type: 'varchar', length: 96 },
    action: { type: 'varchar', length: 64 },
    target: { type: 'varchar', length: 160 },
    beforeJson: { name: 'before_json', type: 'text' },
    afterJson: { name: 'after_json', type: 'text' },
    detailsJson: { name: 'details_json', type: 'text' },
    requestId: { name: 'request_id', type: 'varchar', length: 128 },
  },
  indices: [{ name: 'idx_audit_log_at', columns: ['at', 'id'] }],
});
