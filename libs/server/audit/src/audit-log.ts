import { toTimestamp, type commonV1 } from '@lexy/contracts-grpc';
import { decodeKeysetCursor, encodeKeysetCursor } from '@lexy/server-database';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { currentRequestContext } from '@lexy/server-logging';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AuditEntrySchema, type AuditEntryEntity } from './audit-entry.entity.js';

/** What a service records about one admin action. */
export interface AuditRecord {
  actorId: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
  details?: unknown;
}

/**
 * Appends one entry, in the caller's transaction so that the change and its record commit or
 * roll back together. The request id comes from the request context (X-Request-Id).
 */
export async function appendAudit(manager: EntityManager, record: AuditRecord, at: Date = new Date()): Promise<void> {
  const entry: AuditEntryEntity = {
    id: uuidv7(),
    at,
    actorId: record.actorId,
    action: record.action,
    target: record.target,
    beforeJson: JSON.stringify(record.before ?? {}),
    afterJson: JSON.stringify(record.after ?? {}),
    detailsJson: JSON.stringify(record.details ?? {}),
    requestId: currentRequestContext()?.requestId ?? '',
  };
  await manager.insert(AuditEntrySchema, entry);
}

export interface AuditPage {
  items: AuditEntryEntity[];
  nextCursor: string;
}

/**
 * Newest first, `limit` entries after `cursor`. The cursor is the shared keyset format over
 * (at, id), so pages of several services' logs merge in the gateway.
 */
export async function listAudit(manager: EntityManager, limit: number, cursor: string): Promise<AuditPage> {
  const query = manager
    .getRepository(AuditEntrySchema)
    .createQueryBuilder('a')
    .orderBy('a.at', 'DESC')
    .addOrderBy('a.id', 'DESC')
    .take(limit + 1);
  const after = cursor ? decodeKeysetCursor(cursor) : null;
  if (cursor && !after) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The cursor is not one this list gave out', { field: 'cursor' });
  }
  if (after) query.where('(a.at < :at OR (a.at = :at AND a.id < :id))', { at: after.createdAt, id: after.id });
  const rows = await query.getMany();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeKeysetCursor({ createdAt: last.at, id: last.id }) : '',
  };
}

export function toAuditEntry(entry: AuditEntryEntity): commonV1.AuditEntry {
  return {
    id: entry.id,
    at: toTimestamp(entry.at),
    actorId: entry.actorId,
    action: entry.action,
    target: entry.target,
    beforeJson: entry.beforeJson,
    afterJson: entry.afterJson,
    detailsJson: entry.detailsJson,
    requestId: entry.requestId,
  };
}
