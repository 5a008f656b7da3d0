import type { quotasV1 } from '@lexy/contracts-grpc';
import { isDuplicateKeyError } from '@lexy/server-database';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { GroupEntity } from './group.entity.js';
import type { QuotaAccount } from './quota-account.js';
import { QuotaRepository } from './quota.repository.js';
import {
  invalid,
  MAX_GROUP_LENGTH,
  MAX_ID_LENGTH,
  MAX_OWNER_ID_LENGTH,
  requireSize,
  requireText,
} from './request-fields.js';
import { planReservation, type AccountBalance, type ReservationPlan } from './reservation-plan.js';
import { TrafficService } from './traffic.service.js';

// A reservation outlives any upload; the cleanup job gives back the ones left behind.
const RESERVATION_TTL_MS = 24 * 60 * 60 * 1000;

export interface Reservation {
  id: string;
  /** Null when no limit bounds the upload. */
  bytes: number | null;
  limitedBy: quotasV1.LimitKind;
}

/** An account's storage counters and its download bytes in the current traffic window. */
export interface OwnerUsage extends AccountBalance {
  trafficUsedBytes: number;
}

const NO_USAGE: AccountBalance = { usedBytes: 0, reservedBytes: 0 };

@Injectable()
export class QuotaService {
  constructor(
    private readonly repository: QuotaRepository,
    private readonly traffic: TrafficService,
  ) {}

  async getGroupLimits(name: string): Promise<GroupEntity> {
    return this.requireGroup(requireText('group', name, MAX_GROUP_LENGTH));
  }

  async reserveStorage(caller: QuotaAccount, requestedBytes: number | undefined): Promise<Reservation> {
    const accountId = requireText('caller.quota_account_id', caller.accountId, MAX_OWNER_ID_LENGTH);
    const groupName = requireText('caller.group', caller.group, MAX_GROUP_LENGTH);
    if (requestedBytes !== undefined) requireSize('requested_bytes', requestedBytes);
    const group = await this.requireGroup(groupName);

    return this.repository.transaction(async (tx) => {
      const now = new Date();
      const account = await tx.lockOrCreateAccount(accountId, now);
      const plan = planReservation(group, account, requestedBytes);
      if (!plan.ok) throw refused(plan);
      const id = uuidv7();
      await tx.insertReservation({
        id,
        ownerId: accountId,
        bytes: plan.bytes,
        createdAt: now,
        expiresAt: new Date(now.getTime() + RESERVATION_TTL_MS),
      });
      await tx.changeAccount(accountId, { reservedBytes: plan.bytes ?? 0 }, now);
      return { id, bytes: plan.bytes, limitedBy: plan.limitedBy };
    });
  }

  async settleReservation(caller: QuotaAccount, request: quotasV1.SettleReservationRequest): Promise<OwnerUsage> {
    const reservationId = requireText('reservation_id', request.reservationId, MAX_ID_LENGTH);
    const accountId = requireText('caller.quota_account_id', caller.accountId, MAX_OWNER_ID_LENGTH);
    const groupName = requireText('caller.group', caller.group, MAX_GROUP_LENGTH);
    const fileId = requireText('file_id', request.fileId, MAX_ID_LENGTH);
    const actualBytes = requireSize('actual_bytes', request.actualBytes);
    const group = await this.requireGroup(groupName);

    const balance = await this.repository.transaction(async (tx): Promise<AccountBalance> => {
      const now = new Date();
      const account = await tx.lockAccount(accountId);
      if (!account) throw reservationNotFound();
      // A retried settle of a file already counted changes nothing.
      if (await tx.findStoredFile(accountId, fileId)) return account;
      const reservation = await tx.findReservation(accountId, reservationId);
      if (!reservation) throw reservationNotFound();
      if (reservation.bytes !== null && actualBytes > reservation.bytes) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'actual_bytes exceeds the reservation', {
          reservedBytes: reservation.bytes,
        });
      }
      try {
        await tx.insertStoredFile({ fileId, ownerId: accountId, bytes: actualBytes, createdAt: now });
      } catch (error) {
        if (isDuplicateKeyError(error)) throw invalid('file_id is already recorded for another owner');
        throw error;
      }
      await tx.deleteReservation(accountId, reservationId);
      const released = reservation.bytes ?? 0;
      await tx.changeAccount(accountId, { usedBytes: actualBytes, reservedBytes: -released }, now);
      return { usedBytes: account.usedBytes + actualBytes, reservedBytes: account.reservedBytes - released };
    });
    return this.usage(accountId, group, balance);
  }

  async releaseReservation(callerAccountId: string, request: quotasV1.ReleaseReservationRequest): Promise<void> {
    const reservationId = requireText('reservation_id', request.reservationId, MAX_ID_LENGTH);
    const accountId = requireText('caller.quota_account_id', callerAccountId, MAX_OWNER_ID_LENGTH);

    await this.repository.transaction(async (tx) => {
      if (!(await tx.lockAccount(accountId))) return;
      const reservation = await tx.findReservation(accountId, reservationId);
      if (!reservation || !(await tx.deleteReservation(accountId, reservationId))) return;
      await tx.changeAccount(accountId, { reservedBytes: -(reservation.bytes ?? 0) }, new Date());
    });
  }

  async releaseFileStorage(callerAccountId: string, request: quotasV1.ReleaseFileStorageRequest): Promise<void> {
    const accountId = requireText('caller.quota_account_id', callerAccountId, MAX_OWNER_ID_LENGTH);
    const fileId = requireText('file_id', request.fileId, MAX_ID_LENGTH);

    await this.repository.transaction(async (tx) => {
      if (!(await tx.lockAccount(accountId))) return;
      const file = await tx.findStoredFile(accountId, fileId);
      if (!file || !(await tx.deleteStoredFile(accountId, fileId))) return;
      await tx.changeAccount(accountId, { usedBytes: -file.bytes }, new Date());
    });
  }

  async getUsage(caller: QuotaAccount): Promise<OwnerUsage> {
    const accountId = requireText('caller.quota_account_id', caller.accountId, MAX_OWNER_ID_LENGTH);
    const group = await this.requireGroup(requireText('caller.group', caller.group, MAX_GROUP_LENGTH));
    return this.usage(accountId, group);
  }

  /** Adds download bytes sent to the caller to today's (UTC) traffic; 0 only reports usage. */
  async recordTraffic(caller: QuotaAccount, bytes: number): Promise<OwnerUsage> {
    const accountId = requireText('caller.quota_account_id', caller.accountId, MAX_OWNER_ID_LENGTH);
    const groupName = requireText('caller.group', caller.group, MAX_GROUP_LENGTH);
    requireSize('bytes', bytes);
    const group = await this.requireGroup(groupName);
    if (bytes > 0) await this.traffic.record(accountId, bytes);
    return this.usage(accountId, group);
  }

  /** Admits a download of `bytes` (see TrafficService); null when the group has no traffic limit. */
  async reserveTraffic(caller: QuotaAccount, bytes: number): Promise<string | null> {
    const accountId = requireText('caller.quota_account_id', caller.accountId, MAX_OWNER_ID_LENGTH);
    const group = await this.requireGroup(requireText('caller.group', caller.group, MAX_GROUP_LENGTH));
    requireSize('bytes', bytes);
    return this.traffic.reserve({ accountId, group: group.name }, group, bytes);
  }

  async settleTraffic(caller: QuotaAccount, request: quotasV1.SettleTrafficRequest): Promise<void> {
    const accountId = requireText('caller.quota_account_id', caller.accountId, MAX_OWNER_ID_LENGTH);
    const reservationId = requireText('reservation_id', request.reservationId, MAX_ID_LENGTH);
    await this.traffic.settle(accountId, reservationId, requireSize('sent_bytes', request.sentBytes));
  }

  /**
   * Moves a settled file from `from_owner_id`'s account to the caller's, as if the caller
   * had uploaded it: refused when it breaks the caller's limits. Both accounts are locked
   * in owner id order, so two moves between the same accounts (in either direction)
   * queue instead of deadlocking, and a repeated move finds the row already moved.
   */
  async moveFileStorage(caller: QuotaAccount, request: quotasV1.MoveFileStorageRequest): Promise<OwnerUsage> {
    const accountId = requireText('caller.quota_account_id', caller.accountId, MAX_OWNER_ID_LENGTH);
    const groupName = requireText('caller.group', caller.group, MAX_GROUP_LENGTH);
    const fileId = requireText('file_id', request.fileId, MAX_ID_LENGTH);
    const fromOwnerId = requireText('from_owner_id', request.fromOwnerId, MAX_OWNER_ID_LENGTH);
    const group = await this.requireGroup(groupName);

    const balance = await this.repository.transaction(async (tx): Promise<AccountBalance> => {
      const now = new Date();
      let target: AccountBalance | null = null;
      for (const id of [...new Set([accountId, fromOwnerId])].sort()) {
        if (id === accountId) target = await tx.lockOrCreateAccount(id, now);
        else await tx.lockAccount(id);
      }
      if (!target) throw new Error('caller account was not locked');
      // Read after both locks: every change to these owners' ledger rows holds one of them.
      const file = await tx.findStoredFileById(fileId);
      if (file?.ownerId === accountId) return target;
      if (!file || file.ownerId !== fromOwnerId) throw new DomainError(ErrorCode.NOT_FOUND, 'Stored file not found');
      const plan = planReservation(group, target, file.bytes);
      if (!plan.ok) throw refused(plan);
      if (!(await tx.moveStoredFile(fileId, fromOwnerId, accountId))) throw new Error('ledger row changed under lock');
      await tx.changeAccount(fromOwnerId, { usedBytes: -file.bytes }, now);
      await tx.changeAccount(accountId, { usedBytes: file.bytes }, now);
      return { usedBytes: target.usedBytes + file.bytes, reservedBytes: target.reservedBytes };
    });
    return this.usage(accountId, group, balance);
  }

  /**
   * Every usage the service reports: the storage counters (`balance` when the caller just
   * computed them under the account lock) plus the traffic of the group's current window.
   */
  private async usage(accountId: string, group: GroupEntity, balance?: AccountBalance): Promise<OwnerUsage> {
    const storage = balance ?? (await this.repository.findAccount(accountId)) ?? NO_USAGE;
    const trafficUsedBytes = await this.traffic.sentInWindow(accountId, group);
    return { usedBytes: storage.usedBytes, reservedBytes: storage.reservedBytes, trafficUsedBytes };
  }

  private async requireGroup(name: string): Promise<GroupEntity> {
    const group = await this.repository.findGroup(name);
    if (!group) throw new DomainError(ErrorCode.NOT_FOUND, 'Group not found', { group: name });
    return group;
  }
}

function refused(plan: Extract<ReservationPlan, { ok: false }>): DomainError {
  const message =
    plan.code === ErrorCode.FILE_TOO_LARGE ? 'The file is larger than your group allows' : 'Storage quota exceeded';
  return new DomainError(plan.code, message, plan.details);
}

function reservationNotFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'Reservation not found');
}
