import { Injectable, Logger } from '@nestjs/common';
import { QuotaRepository } from './quota.repository.js';
import { releaseByOwner, type OwnerRelease, type ReleaseTotals } from './release-by-owner.js';
import { MAX_OWNER_ID_LENGTH, optionalText, requireIds, requireLimit, requireSize } from './request-fields.js';

export interface RecomputeResult {
  checked: number;
  corrected: number;
  /** The owner id the next page starts after; '' when this page was the last. */
  nextAfterAccountId: string;
}

/**
 * Storage accounting for the cleanup worker, across owners. Every change is made the way
 * the owner-scoped calls make theirs: in a transaction that first locks the owner's
 * account, so it queues behind (or ahead of) a concurrent settle, move or release of that
 * owner and the counters always move with the rows they count. Each transaction locks one
 * account only, so it cannot deadlock with a move, which locks two in owner id order.
 */
@Injectable()
export class StorageMaintenanceService {
  private readonly logger = new Logger('storage-maintenance');

  constructor(private readonly repository: QuotaRepository) {}

  /** Gives back purged files' bytes; a file's ledger row goes with its bytes, so they are given back once (I5). */
  async releaseStoredFiles(fileIds: readonly string[] | undefined): Promise<ReleaseTotals> {
    return releaseByOwner(
      requireIds('file_ids', fileIds),
      (pending) => this.repository.findStoredFileOwners(pending),
      (ownerId, ownerIds) => this.releaseOwnerFiles(ownerId, ownerIds),
    );
  }

  /** Gives back the reservations `reservationIds`, whoever holds them. */
  async releaseReservations(reservationIds: readonly string[] | undefined): Promise<ReleaseTotals> {
    return this.releaseReservationIds(requireIds('reservation_ids', reservationIds));
  }

  /** Gives back up to `limit` reservations whose expiry passed more than `graceSeconds` ago. */
  async releaseExpiredReservations(graceSeconds: number, limit: number): Promise<ReleaseTotals> {
    requireSize('grace_seconds', graceSeconds);
    requireLimit('limit', limit);
    return this.releaseReservationIds(await this.repository.findExpiredReservationIds(graceSeconds, limit));
  }

  /**
   * Checks the next `limit` accounts after `afterAccountId` against their ledger rows and
   * open reservations and corrects the ones that drifted, each under its own lock.
   */
  async recomputeStorage(afterAccountId: string | undefined, limit: number): Promise<RecomputeResult> {
    const after = optionalText('after_account_id', afterAccountId, MAX_OWNER_ID_LENGTH);
    const pageSize = requireLimit('limit', limit);
    const ownerIds = await this.repository.findAccountIdsAfter(after, pageSize);
    let corrected = 0;
    for (const ownerId of ownerIds) {
      if (await this.recomputeAccount(ownerId)) corrected++;
    }
    return {
      checked: ownerIds.length,
      corrected,
      nextAfterAccountId: ownerIds.length === pageSize ? ownerIds[ownerIds.length - 1]! : '',
    };
  }

  private releaseReservationIds(ids: readonly string[]): Promise<ReleaseTotals> {
    return releaseByOwner(
      ids,
      (pending) => this.repository.findReservationOwners(pending),
      (ownerId, ownerIds) => this.releaseOwnerReservations(ownerId, ownerIds),
    );
  }

  private releaseOwnerFiles(ownerId: string, fileIds: string[]): Promise<OwnerRelease> {
    return this.repository.transaction(async (tx): Promise<OwnerRelease> => {
      if (!(await tx.lockAccount(ownerId))) return { ids: [], bytes: 0 };
      // Read again under the lock: another call may have released them, or a move taken them.
      const files = await tx.findStoredFiles(ownerId, fileIds);
      if (files.length === 0) return { ids: [], bytes: 0 };
      const ids = files.map((file) => file.fileId);
      const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
      const deleted = await tx.deleteStoredFiles(ownerId, ids);
      if (deleted !== ids.length) throw new Error('ledger rows changed under the account lock');
      await tx.changeAccount(ownerId, { usedBytes: -bytes }, new Date());
      return { ids, bytes };
    });
  }

  private releaseOwnerReservations(ownerId: string, reservationIds: string[]): Promise<OwnerRelease> {
    return this.repository.transaction(async (tx): Promise<OwnerRelease> => {
      if (!(await tx.lockAccount(ownerId))) return { ids: [], bytes: 0 };
      // Read again under the lock: a settle or release may have ended them meanwhile.
      const reservations = await tx.findReservations(ownerId, reservationIds);
      if (reservations.length === 0) return { ids: [], bytes: 0 };
      const ids = reservations.map((reservation) => reservation.id);
      const bytes = reservations.reduce((sum, reservation) => sum + (reservation.bytes ?? 0), 0);
      const deleted = await tx.deleteReservations(ownerId, ids);
      if (deleted !== ids.length) throw new Error('reservations changed under the account lock');
      await tx.changeAccount(ownerId, { reservedBytes: -bytes }, new Date());
      return { ids, bytes };
    });
  }

  /** True when the account had drifted and was corrected. */
  private async recomputeAccount(ownerId: string): Promise<boolean> {
    const drift = await this.repository.transaction(async (tx) => {
      const account = await tx.lockAccount(ownerId);
      if (!account) return null;
      // Under the lock no change of this owner's rows is half done, so the sums are exact.
      const truth = await tx.ledgerBalance(ownerId);
      if (truth.usedBytes === account.usedBytes && truth.reservedBytes === account.reservedBytes) return null;
      await tx.setAccount(ownerId, truth, new Date());
      return { before: account, after: truth };
    });
    if (!drift) return false;
    // Logged after the commit, so a transaction retried after a deadlock logs once.
    this.logger.warn(
      `storage account ${ownerId} drifted and was corrected: used_bytes ${drift.before.usedBytes} -> ` +
        `${drift.after.usedBytes}, reserved_bytes ${drift.before.reservedBytes} -> ${drift.after.reservedBytes}`,
    );
    return true;
  }
}
