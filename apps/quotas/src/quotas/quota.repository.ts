import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { withDeadlockRetry } from './deadlock-retry.js';
import { GroupSchema, type GroupEntity, type TrafficWindowValue } from './group.entity.js';
import type { AccountBalance } from './reservation-plan.js';
import { ReservationSchema, type ReservationEntity } from './reservation.entity.js';
import { StorageAccountSchema, type StorageAccountEntity } from './storage-account.entity.js';
import { StoredFileSchema, type StoredFileEntity } from './stored-file.entity.js';

/** Signed changes to an owner's counters. */
export interface AccountDelta {
  usedBytes?: number;
  reservedBytes?: number;
}

/** A download admitted and not yet settled (traffic_reservations). */
export interface TrafficReservationRow {
  id: string;
  accountId: string;
  window: TrafficWindowValue;
  /** First day of the window it was admitted in, and the day it was admitted (`YYYY-MM-DD`). */
  firstDay: string;
  day: string;
  bytes: number;
}

/** A row found by id, with the owner whose account it counts in. */
export interface OwnedRow {
  id: string;
  ownerId: string;
}

/** With GroupAdminRepository (the admin console's), the only place that queries lexy_quotas. */
@Injectable()
export class QuotaRepository {
  constructor(private readonly dataSource: DataSource) {}

  findGroup(name: string): Promise<GroupEntity | null> {
    return this.dataSource.manager.findOneBy(GroupSchema, { name });
  }

  findAccount(ownerId: string): Promise<StorageAccountEntity | null> {
    return this.dataSource.manager.findOneBy(StorageAccountSchema, { ownerId });
  }

  // Maintenance look-ups across owners. Their answers are only hints of whose account to
  // lock: the rows are read again under that lock before anything changes.

  /** The owners of the ledger rows of `fileIds`; ids without a row are left out. */
  async findStoredFileOwners(fileIds: readonly string[]): Promise<OwnedRow[]> {
    const rows = await this.dataSource.manager.find(StoredFileSchema, {
      select: { fileId: true, ownerId: true },
      where: { fileId: In(fileIds) },
    });
    return rows.map((row) => ({ id: row.fileId, ownerId: row.ownerId }));
  }

  /** The owners of the reservations `ids`; ids without a reservation are left out. */
  findReservationOwners(ids: readonly string[]): Promise<OwnedRow[]> {
    return this.dataSource.manager.find(ReservationSchema, {
      select: { id: true, ownerId: true },
      where: { id: In(ids) },
    });
  }

  /**
   * Up to `limit` reservations whose expiry passed more than `graceSeconds` ago, oldest first.
   * Judged by the database's clock (LC-01): expires_at is written in UTC (the driver's
   * timezone is 'Z'), so UTC_TIMESTAMP(3) is the same scale for every replica.
   */
  async findExpiredReservationIds(graceSeconds: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM reservations WHERE expires_at < UTC_TIMESTAMP(3) - INTERVAL ? SECOND
       ORDER BY expires_at, id LIMIT ?`,
      [graceSeconds, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Up to `limit` account owner ids after `afterOwnerId` ('' for the first), in owner id order. */
  async findAccountIdsAfter(afterOwnerId: string, limit: number): Promise<string[]> {
    const rows: { owner_id: string }[] = await this.dataSource.query(
      'SELECT owner_id FROM storage_accounts WHERE owner_id > ? ORDER BY owner_id LIMIT ?',
      [afterOwnerId, limit],
    );
    return rows.map((row) => row.owner_id);
  }

  // Traffic rows are keyed by the caller's quota account (the `owner_id` columns) and by
  // UTC days that the service's clock names, the same clock that names the Redis counters.

  /** Adds download bytes to the account's row of `day`, creating it if needed. */
  async addTraffic(accountId: string, day: string, bytes: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO traffic_days (owner_id, \`day\`, bytes) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE bytes = bytes + VALUES(bytes)`,
      [accountId, day, bytes],
    );
  }

  /** The account's download bytes sent from `firstDay` through `lastDay`. */
  async sumTraffic(accountId: string, firstDay: string, lastDay: string): Promise<number> {
    const rows: { bytes: number | string }[] = await this.dataSource.query(
      `SELECT COALESCE(SUM(bytes), 0) AS bytes FROM traffic_days
       WHERE owner_id = ? AND \`day\` BETWEEN ? AND ?`,
      [accountId, firstDay, lastDay],
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  /** Bytes of the account's unsettled downloads admitted from `firstDay` through `lastDay`. */
  async sumTrafficReservations(accountId: string, firstDay: string, lastDay: string): Promise<number> {
    const rows: { bytes: number | string }[] = await this.dataSource.query(
      `SELECT COALESCE(SUM(bytes), 0) AS bytes FROM traffic_reservations
       WHERE owner_id = ? AND \`day\` BETWEEN ? AND ?`,
      [accountId, firstDay, lastDay],
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  async insertTrafficReservation(row: TrafficReservationRow, createdAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO traffic_reservations (id, owner_id, traffic_window, first_day, \`day\`, bytes, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [row.id, row.accountId, row.window, row.firstDay, row.day, row.bytes, createdAt],
    );
  }

  async deleteTrafficReservation(accountId: string, id: string): Promise<void> {
    await this.dataSource.query('DELETE FROM traffic_reservations WHERE id = ? AND owner_id = ?', [id, accountId]);
  }

  async findTrafficReservation(accountId: string, id: string): Promise<TrafficReservationRow | null> {
    const rows: {
      id: string;
      owner_id: string;
      traffic_window: TrafficWindowValue;
      first_day: string;
      day: string;
      bytes: number | string;
    }[] = await this.dataSource.query(
      `SELECT id, owner_id, traffic_window, DATE_FORMAT(first_day, '%Y-%m-%d') AS first_day,
              DATE_FORMAT(\`day\`, '%Y-%m-%d') AS \`day\`, bytes
       FROM traffic_reservations WHERE id = ? AND owner_id = ?`,
      [id, accountId],
    );
    const [row] = rows;
    if (!row) return null;
    return {
      id: row.id,
      accountId: row.owner_id,
      window: row.traffic_window,
      firstDay: row.first_day,
      day: row.day,
      bytes: Number(row.bytes),
    };
  }

  /**
   * Ends a reservation: deletes it and charges `sentBytes` to the day it was admitted, in
   * one transaction; false (and nothing charged) when it was already settled.
   */
  async settleTrafficReservation(reservation: TrafficReservationRow, sentBytes: number): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const deleted: { affectedRows?: number } = await manager.query(
        'DELETE FROM traffic_reservations WHERE id = ? AND owner_id = ?',
        [reservation.id, reservation.accountId],
      );
      if ((deleted.affectedRows ?? 0) === 0) return false;
      if (sentBytes > 0) {
        await manager.query(
          `INSERT INTO traffic_days (owner_id, \`day\`, bytes) VALUES (?, ?, ?)
           ON DUPLICATE KEY UPDATE bytes = bytes + VALUES(bytes)`,
          [reservation.accountId, reservation.day, sentBytes],
        );
      }
      return true;
    });
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

  /** Overwrites the owner's counters (a recomputation from its ledger and reservations). */
  async setAccount(ownerId: string, balance: AccountBalance, now: Date): Promise<void> {
    await this.manager.query(
      'UPDATE storage_accounts SET used_bytes = ?, reserved_bytes = ?, updated_at = ? WHERE owner_id = ?',
      [balance.usedBytes, balance.reservedBytes, now, ownerId],
    );
  }

  /** What the owner's counters should hold: the bytes of its ledger rows and of its open reservations. */
  async ledgerBalance(ownerId: string): Promise<AccountBalance> {
    const rows: { used: number | string; reserved: number | string }[] = await this.manager.query(
      `SELECT (SELECT COALESCE(SUM(bytes), 0) FROM stored_files WHERE owner_id = ?) AS used,
              (SELECT COALESCE(SUM(bytes), 0) FROM reservations WHERE owner_id = ?) AS reserved`,
      [ownerId, ownerId],
    );
    return { usedBytes: Number(rows[0]?.used ?? 0), reservedBytes: Number(rows[0]?.reserved ?? 0) };
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

  /** The owner's reservations among `ids`. */
  findReservations(ownerId: string, ids: readonly string[]): Promise<ReservationEntity[]> {
    return this.manager.findBy(ReservationSchema, { ownerId, id: In(ids) });
  }

  /** Deletes the owner's reservations `ids`: only ids just read under the lock, so no gap is locked. */
  async deleteReservations(ownerId: string, ids: readonly string[]): Promise<number> {
    const result = await this.manager.delete(ReservationSchema, { ownerId, id: In(ids) });
    return result.affected ?? 0;
  }

  findStoredFile(ownerId: string, fileId: string): Promise<StoredFileEntity | null> {
    return this.manager.findOneBy(StoredFileSchema, { fileId, ownerId });
  }

  /** The ledger row of a file, whoever owns it; read only while the owners' accounts are locked. */
  findStoredFileById(fileId: string): Promise<StoredFileEntity | null> {
    return this.manager.findOneBy(StoredFileSchema, { fileId });
  }

  /** The owner's ledger rows among `fileIds`. */
  findStoredFiles(ownerId: string, fileIds: readonly string[]): Promise<StoredFileEntity[]> {
    return this.manager.findBy(StoredFileSchema, { ownerId, fileId: In(fileIds) });
  }

  /** Deletes the owner's ledger rows `fileIds`: only ids just read under the lock, so no gap is locked. */
  async deleteStoredFiles(ownerId: string, fileIds: readonly string[]): Promise<number> {
    const result = await this.manager.delete(StoredFileSchema, { ownerId, fileId: In(fileIds) });
    return result.affected ?? 0;
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
