import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DB_NOW } from '../relay/db-clock.js';
import type { KeysetPosition } from '@lexy/server-database';
import type { TransferOffer } from './transfer-offer.js';
import { canTransition, expiryConditionOf, statesLeadingTo, type TransferState } from './transfer-state-machine.js';
import { TransferSchema, type TransferEntity } from './transfer.entity.js';

// See devices.repository.ts: locks taken here are on rows found by key, never gaps to guard.
const ISOLATION = 'READ COMMITTED';

/** What a transfer may still be when its device goes away: everything that can still be cancelled. */
const CANCELLABLE = statesLeadingTo('cancelled');

/**
 * Ends the open transfers from or to a deleted device, inside the deletion's transaction:
 * cancelled, except a pending offer already past its expiry, which is expired (as its account
 * already sees it). One UPDATE per device column, each on its own (device, status) index.
 */
export async function endOpenTransfersOfDevice(manager: EntityManager, ownerId: string, deviceId: string) {
  for (const column of ['from_device_id', 'to_device_id'] as const) {
    await manager
      .createQueryBuilder()
      .update(TransferSchema)
      .set({
        status: () => `CASE WHEN status = 'pending' AND expires_at <= ${DB_NOW} THEN 'expired' ELSE 'cancelled' END`,
        updatedAt: () => DB_NOW,
      })
      .where(`${column} = :deviceId AND owner_id = :ownerId`, { deviceId, ownerId })
      .andWhere('status IN (:...cancellable)', { cancellable: CANCELLABLE })
      .execute();
  }
}

/** What a move may write beside the status. */
export interface TransitionChanges {
  /** Why a transfer failed; for moves to `failed`. */
  failureCode?: string;
}

/** The only place that queries the transfers table. Every query is scoped by owner id. */
@Injectable()
export class TransfersRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get transfers() {
    return this.dataSource.getRepository(TransferSchema);
  }

  /** The database's current UTC time, so an offer's expiry is judged on the clock that set it. */
  async now(): Promise<Date> {
    const rows: Array<{ now: Date }> = await this.dataSource.query(`SELECT ${DB_NOW} AS now`);
    const now = rows[0]?.now;
    if (!(now instanceof Date)) throw new Error('database returned no time');
    return now;
  }

  /**
   * Records a new pending offer, expiring `ttlSeconds` after its creation; null when either
   * device is not the account's. Both devices are share-locked until commit, so a deletion
   * of one of them waits and then cancels this transfer too, never leaving it open.
   */
  createTransfer(
    ownerId: string,
    id: string,
    offer: TransferOffer,
    ttlSeconds: number,
  ): Promise<TransferEntity | null> {
    return this.dataSource.transaction(ISOLATION, async (manager) => {
      const devices: unknown[] = await manager.query(
        'SELECT id FROM devices WHERE owner_id = ? AND id IN (?, ?) LOCK IN SHARE MODE',
        [ownerId, offer.fromDeviceId, offer.toDeviceId],
      );
      if (devices.length !== 2) return null;
      await manager
        .createQueryBuilder()
        .insert()
        .into(TransferSchema)
        .values({
          id,
          ownerId,
          ...offer,
          status: 'pending',
          deliveredBytes: 0,
          failureCode: null,
          createdAt: () => DB_NOW,
          updatedAt: () => DB_NOW,
          // One instant within the statement, so expires_at is exactly created_at + TTL.
          expiresAt: () => `${DB_NOW} + INTERVAL ${Math.trunc(ttlSeconds)} SECOND`,
        })
        .execute();
      return manager.findOneBy(TransferSchema, { id, ownerId });
    });
  }

  findTransfer(ownerId: string, transferId: string): Promise<TransferEntity | null> {
    return this.transfers.findOneBy({ id: transferId, ownerId });
  }

  /** One page of the account's transfers, newest first, strictly after `after` in that order. */
  listTransfers(ownerId: string, limit: number, after?: KeysetPosition): Promise<TransferEntity[]> {
    const query = this.transfers.createQueryBuilder('transfer').where('transfer.owner_id = :ownerId', { ownerId });
    if (after) {
      query.andWhere(
        '(transfer.created_at < :createdAt OR (transfer.created_at = :createdAt AND transfer.id < :id))',
        after,
      );
    }
    return query.orderBy('transfer.created_at', 'DESC').addOrderBy('transfer.id', 'DESC').limit(limit).getMany();
  }

  /**
   * Applies one transition as ONE conditional UPDATE: only while the transfer is still in
   * `from` (and on the right side of its expiry, see expiryConditionOf). The row lock
   * serialises concurrent moves and each re-checks the condition, so of any number of racing
   * moves from one state exactly one wins. False: the transfer was not in `from` (any more).
   */
  async moveIfStill(
    ownerId: string,
    transferId: string,
    from: TransferState,
    to: TransferState,
    changes: TransitionChanges = {},
  ): Promise<boolean> {
    if (!canTransition(from, to)) throw new Error(`the transfer state machine forbids ${from} → ${to}`);
    const query = this.transfers
      .createQueryBuilder()
      .update()
      .set({ status: to, updatedAt: () => DB_NOW, ...changes })
      .where('id = :transferId AND owner_id = :ownerId AND status = :from', { transferId, ownerId, from });
    const expiry = expiryConditionOf(from, to);
    if (expiry === 'before-expiry') query.andWhere(`expires_at > ${DB_NOW}`);
    if (expiry === 'past-expiry') query.andWhere(`expires_at <= ${DB_NOW}`);
    const result = await query.execute();
    return (result.affected ?? 0) > 0;
  }
}
