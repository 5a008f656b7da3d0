import type { TransferEntity, TransferModeName } from './transfer.entity.js';
import { visibleState } from './transfer.mapper.js';
import type { TransferState } from './transfer-state-machine.js';

/**
 * A transfer as the WebSocket events carry it: the same shape as the REST `transfer` view
 * (the gateway's TransferView), so a client handles one shape whichever way it learns of a
 * transfer. Built here from the entity; the relay does not depend on the gateway.
 */
export interface TransferJson {
  id: string;
  fromDeviceId: string;
  toDeviceId: string;
  /** fileId: a `stored` transfer's file in the files service (GET /api/v1/files/{fileId}/download); else null. */
  files: { name: string; size: number; mimeType: string; fileId: string | null }[];
  mode: TransferModeName;
  status: TransferState;
  totalBytes: number;
  deliveredBytes: number;
  failureCode: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

/** The transfer as its account sees it at `now` (the database's time), as in toTransfer. */
export function toTransferJson(entity: TransferEntity, now: Date): TransferJson {
  return {
    id: entity.id,
    fromDeviceId: entity.fromDeviceId,
    toDeviceId: entity.toDeviceId,
    files: entity.files.map((file) => ({
      name: file.name,
      size: file.sizeBytes,
      mimeType: file.mimeType,
      fileId: file.fileId ?? null,
    })),
    mode: entity.mode,
    status: visibleState(entity, now),
    totalBytes: entity.totalBytes,
    deliveredBytes: entity.deliveredBytes,
    failureCode: entity.failureCode,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
    expiresAt: entity.expiresAt.toISOString(),
  };
}
