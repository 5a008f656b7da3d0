import type { quotasV1 } from '@lexy/contracts-grpc';
import { isDuplicateKeyError } from '@lexy/server-database';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { GroupEntity } from './group.entity.js';
import { QuotaRepository } from './quota.repository.js';
import { planReservation, type AccountBalance, type ReservationPlan } from './reservation-plan.js';
import { trafficWindowOf } from './traffic-window.js';

// A reservation outlives any upload; the cleanup job gives back the ones left behind.
const RESERVATION_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_OWNER_ID_LENGTH = 96;
const MAX_GROUP_LENGTH = 32;
const MAX_ID_LENGTH = 36;

export interface Reservation {
  id: string;
  /** Null when no limit bounds the upload. */
  bytes: number | null;
  limitedBy: quotasV1.LimitKind;
}

/** Who a call acts for: the verified caller of the request, never a value from its body. */
export interface Owner {
  ownerId: string;
  group: string;
}

/** An owner's storage counters and its download bytes in the current traffic window. */
export interface OwnerUsage extends AccountBalance {
  trafficUsedBytes: number;
}

const NO_USAGE: AccountBalance = { usedBytes: 0, reservedBytes: 0 };

@Injectable()
export class QuotaService {
  constructor(private readonly repository: QuotaRepository) {}

  async getGroupLimits(name: string): Promise<GroupEntity> {
    return this.requireGroup(requireText('group', name, MAX_GROUP_LENGTH));
  }

  async reserveStorage(caller: Owner, requestedBytes: number | undefined): Promise<Reservation> {
    const ownerId = requireText('caller.owner_id', caller.ownerId, MAX_OWNER_ID_LENGTH);
    const groupName = requireText('caller.group', caller.group, MAX_GROUP_LENGTH);
    if (requestedBytes !== undefined) requireSize('requested_bytes', requestedBytes);
    const group = await this.requireGroup(groupName);

    return this.repository.transaction(async (tx) => {
      const now = new Date();
      const account = await tx.lockOrCreateAccount(ownerId, now);
      const plan = planReservation(group, account, requestedBytes);
      if (!plan.ok) throw refused(plan);
      const id = uuidv7();
      await tx.insertReservation({
        id,
        ownerId,
        bytes: plan.bytes,
        createdAt: now,
        expiresAt: new Date(now.getTime() + RESERVATION_TTL_MS),
      });
      await tx.changeAccount(ownerId, { reservedBytes: plan.bytes ?? 0 }, now);
      return { id, bytes: plan.bytes, limitedBy: plan.limitedBy };
    });
  }

  async settleReservation(caller: Owner, request: quotasV1.SettleReservationRequest): Promise<OwnerUsage> {
    const reservationId = requireText('reservation_id', request.reservationId, MAX_ID_LENGTH);
    const ownerId = requireText('caller.owner_id', caller.ownerId, MAX_OWNER_ID_LENGTH);
    const groupName = requireText('caller.group', caller.group, MAX_GROUP_LENGTH);
    const fileId = requireText('file_id', request.fileId, MAX_ID_LENGTH);
    const actualBytes = requireSize('actual_bytes', request.actualBytes);
    const group = await this.requireGroup(groupName);

    const balance = await this.repository.transaction(async (tx): Promise<AccountBalance> => {
      const now = new Date();
      const account = await tx.lockAccount(ownerId);
      if (!account) throw reservationNotFound();
      // A retried settle of a file already counted changes nothing.
      if (await tx.findStoredFile(ownerId, fileId)) return account;
      const reservation = await tx.findReservation(ownerId, reservationId);
      if (!reservation) throw reservationNotFound();
      if (reservation.bytes !== null && actualBytes > reservation.bytes) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'actual_bytes exceeds the reservation', {
          reservedBytes: reservation.bytes,
        });
      }
      try {
        await tx.insertStoredFile({ fileId, ownerId, bytes: actualBytes, createdAt: now });
      } catch (error) {
        if (isDuplicateKeyError(error)) throw invalid('file_id is already recorded for another owner');
        throw error;
      }
      await tx.deleteReservation(ownerId, reservationId);
      const released = reservation.bytes ?? 0;
      await tx.changeAccount(ownerId, { usedBytes: actualBytes, reservedBytes: -released }, now);
      return { usedBytes: account.usedBytes + actualBytes, reservedBytes: account.reservedBytes - released };
    });
    return this.usage(ownerId, group, balance);
  }

  async releaseReservation(callerId: string, request: quotasV1.ReleaseReservationRequest): Promise<void> {
    const reservationId = requireText('reservation_id', request.reservationId, MAX_ID_LENGTH);
    const ownerId = requireText('caller.owner_id', callerId, MAX_OWNER_ID_LENGTH);

    await this.repository.transaction(async (tx) => {
      if (!(await tx.lockAccount(ownerId))) return;
      const reservation = await tx.findReservation(ownerId, reservationId);
      if (!reservation || !(await tx.deleteReservation(ownerId, reservationId))) return;
      await tx.changeAccount(ownerId, { reservedBytes: -(reservation.bytes ?? 0) }, new Date());
    });
  }

  async releaseFileStorage(callerId: string, request: quotasV1.ReleaseFileStorageRequest): Promise<void> {
    const ownerId = requireText('caller.owner_id', callerId, MAX_OWNER_ID_LENGTH);
    const fileId = requireText('file_id', request.fileId, MAX_ID_LENGTH);

    await this.repository.transaction(async (tx) => {
      if (!(await tx.lockAccount(ownerId))) return;
      const file = await tx.findStoredFile(ownerId, fileId);
      if (!file || !(await tx.deleteStoredFile(ownerId, fileId))) return;
      await tx.changeAccount(ownerId, { usedBytes: -file.bytes }, new Date());
    });
  }

  async getUsage(caller: Owner): Promise<OwnerUsage> {
    const ownerId = requireText('caller.owner_id', caller.ownerId, MAX_OWNER_ID_LENGTH);
    const group = await this.requireGroup(requireText('caller.group', caller.group, MAX_GROUP_LENGTH));
    return this.usage(ownerId, group);
  }

  /** Adds download bytes sent to the caller to today's (UTC) traffic; 0 only reports usage. */
  async recordTraffic(caller: Owner, bytes: number): Promise<OwnerUsage> {
    const ownerId = requireText('caller.owner_id', caller.ownerId, MAX_OWNER_ID_LENGTH);
    const groupName = requireText('caller.group', caller.group, MAX_GROUP_LENGTH);
    requireSize('bytes', bytes);
    const group = await this.requireGroup(groupName);
    if (bytes > 0) await this.repository.addTraffic(ownerId, bytes);
    return this.usage(ownerId, group);
  }

  /**
   * Moves a settled file from `from_owner_id`'s account to the caller's, as if the caller
   * had uploaded it: refused when it breaks the caller's limits. Both accounts are locked
   * in owner id order, so two moves between the same accounts (in either direction)
   * queue instead of deadlocking, and a repeated move finds the row already moved.
   */
  async moveFileStorage(caller: Owner, request: quotasV1.MoveFileStorageRequest): Promise<OwnerUsage> {
    const ownerId = requireText('caller.owner_id', caller.ownerId, MAX_OWNER_ID_LENGTH);
    const groupName = requireText('caller.group', caller.group, MAX_GROUP_LENGTH);
    const fileId = requireText('file_id', request.fileId, MAX_ID_LENGTH);
    const fromOwnerId = requireText('from_owner_id', request.fromOwnerId, MAX_OWNER_ID_LENGTH);
    const group = await this.requireGroup(groupName);

    const balance = await this.repository.transaction(async (tx): Promise<AccountBalance> => {
      const now = new Date();
      let target: AccountBalance | null = null;
      for (const id of [...new Set([ownerId, fromOwnerId])].sort()) {
        if (id === ownerId) target = await tx.lockOrCreateAccount(id, now);
        else await tx.lockAccount(id);
      }
      if (!target) throw new Error('caller account was not locked');
      // Read after both locks: every change to these owners' ledger rows holds one of them.
      const file = await tx.findStoredFileById(fileId);
      if (file?.ownerId === ownerId) return target;
      if (!file || file.ownerId !== fromOwnerId) throw new DomainError(ErrorCode.NOT_FOUND, 'Stored file not found');
      const plan = planReservation(group, target, file.bytes);
      if (!plan.ok) throw refused(plan);
      if (!(await tx.moveStoredFile(fileId, fromOwnerId, ownerId))) throw new Error('ledger row changed under lock');
      await tx.changeAccount(fromOwnerId, { usedBytes: -file.bytes }, now);
      await tx.changeAccount(ownerId, { usedBytes: file.bytes }, now);
      return { usedBytes: target.usedBytes + file.bytes, reservedBytes: target.reservedBytes };
    });
    return this.usage(ownerId, group, balance);
  }

  /**
   * Every usage the service reports: the storage counters (`balance` when the caller just
   * computed them under the account lock) plus the traffic of the group's current window.
   */
  private async usage(ownerId: string, group: GroupEntity, balance?: AccountBalance): Promise<OwnerUsage> {
    const storage = balance ?? (await this.repository.findAccount(ownerId)) ?? NO_USAGE;
    const trafficUsedBytes = await this.repository.sumTraffic(ownerId, trafficWindowOf(group));
    return { usedBytes: storage.usedBytes, reservedBytes: storage.reservedBytes, trafficUsedBytes };
  }

  private async requireGroup(name: string): Promise<GroupEntity> {
    const group = await this.repository.findGroup(name);
    if (!group) throw new DomainError(ErrorCode.NOT_FOUND, 'Group not found', { group: name });
    return group;
  }
}

function invalid(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, details);
}

function refused(plan: Extract<ReservationPlan, { ok: false }>): DomainError {
  const message =
    plan.code === ErrorCode.FILE_TOO_LARGE ? 'The file is larger than your group allows' : 'Storage quota exceeded';
  return new DomainError(plan.code, message, plan.details);
}

function reservationNotFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'Reservation not found');
}

function requireText(field: string, value: string | undefined, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${field} is required`, { field });
  if (value.length > maxLength) throw invalid(`${field} is longer than ${maxLength} characters`, { field });
  return value;
}

function requireSize(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw invalid(`${field} must be a non-negative integer`, { field });
  return value;
}
