import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { withDeadlockRetry } from './deadlock-retry.js';
import { GroupSchema, type GroupEntity, type TrafficWindowValue } from './group.entity.js';
import { ReservationSchema, type ReservationEntity } from './reservation.entity.js';
import { StorageAccountSchema, type StorageAccountEntity } from './storage-account.entity.js';
import { StoredFileSchema, type StoredFileEntity } from './stored-file.entity.js';

/** Signed changes to an owner's counters. */
export interface AccountDelta {
  usedBytes?: number;
  reservedBytes?: number;
}

// First UTC day of each traffic window, by the database's clock: every replica (and the
// row's `day`, written with the same clock) agrees on where a day or month begins.
const TRAFFIC_WINDOW_START: Record<TrafficWindowValue, string> = {
  day: 'UTC_DATE()',
  month: 'UTC_DATE() - INTERVAL (DAYOFMONTH(UTC_DATE()) - 1) DAY',
};

/** The only place that queries lexy_quotas. */
@Injectable()
export class QuotaRepository {
  constructor(private readonly dataSource: DataSource) {}

  findGroup(name: string): Promise<GroupEntity | null> {
    return this.dataSource.manager.findOneBy(GroupSchema, { name });
  }

  findAccount(ownerId: string): Promise<StorageAccountEntity | null> {
    return this.dataSource.manager.findOneBy(StorageAccountSchema, { ownerId });
  }

  /** Adds download bytes to the owner's row of the current UTC day, creating it if needed. */
  async addTraffic(ownerId: string, bytes: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO traffic_days (owner_id, \`day\`, bytes) VALUES (?, UTC_DATE(), ?)
       ON DUPLICATE KEY UPDATE bytes = bytes + VALUES(bytes)`,
      [ownerId, bytes],
    );
  }

  /** The owner's download bytes from the start of the current window through today (UTC). */
  async sumTraffic(ownerId: string, window: TrafficWindowValue): Promise<number> {
    const rows: { bytes: number | string }[] = await this.dataSource.query(
      `SELECT COALESCE(SUM(bytes), 0) AS bytes FROM traffic_days
       WHERE owner_id = ? AND \`day\` BETWEEN ${TRAFFIC_WINDOW_START[window]} AND UTC_DATE()`,
      [ownerId],
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  /** Runs `work` in one transaction; a deadlock victim is rolled back and run again whole. */
  transaction<T>(work: (tx: QuotaTransaction) => Promise<T>): Promise<T> {
    return withDeadlockRetry(() => this.dataSource.transaction((manager) => work(new QuotaTransaction(manager))));
  }
}

/**
 * Queries inside one transaction. Every change to an owner's reservations and ledger
 * rows happens while its account row is locked, so each transaction locks the account
 * first; after that, plain reads of the owner's rows already see the latest committed
 * state (the snapshot starts at the first plain read). Locking reads of reservations
 * or ledger rows that may be missing are avoided on purpose: they would take gap locks
 * that block other owners' inserts. (Locking a missing account does take a gap lock,
 * but only in a transaction that then ends at once with nothing to do.)
 */
export class QuotaTransaction {
  constructor(private readonly manager: EntityManager) {}

  /** Creates the owner's account if it has none, then locks it until commit. */
  async lockOrCreateAccount(ownerId: string, now: Date): Promise<StorageAccountEntity> {
    await this.manager.query(
      `INSERT INTO storage_accounts (owner_id, used_bytes, reserved_bytes, updated_at) VALUES (?, 0, 0, ?)
       ON DUPLICATE KEY UPDATE owner_id = owner_id`,
      [ownerId, now],
    );
    const account = await this.lockAccount(ownerId);
    if (!account) throw new Error('storage account vanished after insert');
    return account;
  }

  /** Locks the owner's account until commit; null when the owner never reserved anything. */
  lockAccount(ownerId: string): Promise<StorageAccountEntity | null> {
    return this.manager
      .createQueryBuilder(StorageAccountSchema, 'account')
      .setLock('pessimistic_write')
      .where('account.ownerId = :ownerId', { ownerId })
      .getOne();
  }

  async changeAccount(ownerId: string, delta: AccountDelta, now: Date): Promise<void> {
    await this.manager.query(
      `UPDATE storage_accounts
       SET used_bytes = used_bytes + ?, reserved_bytes = reserved_bytes + ?, updated_at = ?
       WHERE owner_id = ?`,
      [delta.usedBytes ?? 0, delta.reservedBytes ?? 0, now, ownerId],
    );
  }

  async insertReservation(reservation: ReservationEntity): Promise<void> {
    await this.manager.insert(ReservationSchema, reservation);
  }

  findReservation(ownerId: string, id: string): Promise<ReservationEntity | null> {
    return this.manager.findOneBy(ReservationSchema, { id, ownerId });
  }

  async deleteReservation(ownerId: string, id: string): Promise<boolean> {
    const result = await this.manager.delete(ReservationSchema, { id, ownerId });
    return (result.affected ?? 0) > 0;
  }

  findStoredFile(ownerId: string, fileId: string): Promise<StoredFileEntity | null> {
    return this.manager.findOneBy(StoredFileSchema, { fileId, ownerId });
  }

  /** The ledger row of a file, whoever owns it; read only while the owners' accounts are locked. */
  findStoredFileById(fileId: string): Promise<StoredFileEntity | null> {
    return this.manager.findOneBy(StoredFileSchema, { fileId });
  }

  /** Hands a ledger row to another owner; false when `from` no longer owns it. */
  async moveStoredFile(fileId: string, fromOwnerId: string, toOwnerId: string): Promise<boolean> {
    const result = await this.manager.update(
      StoredFileSchema,
      { fileId, ownerId: fromOwnerId },
      { ownerId: toOwnerId },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Fails with a duplicate-key error when the file is already in the ledger. */
  async insertStoredFile(file: StoredFileEntity): Promise<void> {
    await this.manager.insert(StoredFileSchema, file);
  }

  async deleteStoredFile(ownerId: string, fileId: string): Promise<boolean> {
    const result = await this.manager.delete(StoredFileSchema, { fileId, ownerId });
    return (result.affected ?? 0) > 0;
  }
}
