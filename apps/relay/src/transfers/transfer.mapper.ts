import { relayV1, toTimestamp } from '@lexy/contracts-grpc';
import type { TransferEntity, TransferModeName } from './transfer.entity.js';
import type { TransferState } from './transfer-state-machine.js';

const STATUS: Record<TransferState, relayV1.TransferStatus> = {
  pending: relayV1.TransferStatus.TRANSFER_STATUS_PENDING,
  accepted: relayV1.TransferStatus.TRANSFER_STATUS_ACCEPTED,
  streaming: relayV1.TransferStatus.TRANSFER_STATUS_STREAMING,
  completed: relayV1.TransferStatus.TRANSFER_STATUS_COMPLETED,
  rejected: relayV1.TransferStatus.TRANSFER_STATUS_REJECTED,
  cancelled: relayV1.TransferStatus.TRANSFER_STATUS_CANCELLED,
  failed: relayV1.TransferStatus.TRANSFER_STATUS_FAILED,
  expired: relayV1.TransferStatus.TRANSFER_STATUS_EXPIRED,
};

const MODE: Record<TransferModeName, relayV1.TransferMode> = {
  relay: relayV1.TransferMode.TRANSFER_MODE_RELAY,
  p2p: relayV1.TransferMode.TRANSFER_MODE_P2P,
  stored: relayV1.TransferMode.TRANSFER_MODE_STORED,
};

/**
 * The status its account sees: a pending offer past its expiry is expired at once, before
 * anything rewrites the row (an answer to it would make it expired; see TransfersService).
 */
export function visibleState(entity: TransferEntity, now: Date): TransferState {
  return entity.status === 'pending' && entity.expiresAt.getTime() <= now.getTime() ? 'expired' : entity.status;
}

/** A transfer as its account sees it at `now` (the database's time). */
export function toTransfer(entity: TransferEntity, now: Date): relayV1.Transfer {
  return {
    id: entity.id,
    fromDeviceId: entity.fromDeviceId,
    toDeviceId: entity.toDeviceId,
    files: entity.files.map((file) => ({
      name: file.name,
      sizeBytes: file.sizeBytes,
      mimeType: file.mimeType,
      ...(file.fileId === undefined ? {} : { fileId: file.fileId }),
    })),
    mode: MODE[entity.mode],
    status: STATUS[visibleState(entity, now)],
    totalBytes: entity.totalBytes,
    deliveredBytes: entity.deliveredBytes,
    ...(entity.failureCode === null ? {} : { failureCode: entity.failureCode }),
    createdAt: toTimestamp(entity.createdAt),
    updatedAt: toTimestamp(entity.updatedAt),
    expiresAt: toTimestamp(entity.expiresAt),
  };
}
