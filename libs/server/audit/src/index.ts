export { AUDIT_LOG_TABLE, AuditEntrySchema, type AuditEntryEntity } from './audit-entry.entity.js';
export { createAuditLogTable, dropAuditLogTable } from './audit-log-migration.js';
export { appendAudit, listAudit, toAuditEntry, type AuditPage, type AuditRecord } from './audit-log.js';
