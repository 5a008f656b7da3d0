import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager, type WhereExpressionBuilder } from 'typeorm';
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

/**
 * Narrows `query` to transfers a move from `from` to `to` still applies to: in `from`, and on
 * the right side of their expiry (expiryConditionOf) by the database clock. Unqualified
 * columns: the queries it serves read the transfers table only.
 */
function whereStillMovable<Query extends WhereExpressionBuilder>(
  query: Query,
  from: TransferState,
  to: TransferState,
): Query {
  if (!canTransition(from, to)) throw new Error(`the transfer state machine forbids ${from} → ${to}`);
  query.andWhere('status = :from', { from });
  const expiry = expiryConditionOf(from, to);
  if (expiry === 'before-expiry') query.andWhere(`expires_at > ${DB_NOW}`);
  if (expiry === 'past-expiry') query.andWhere(`expires_at <= ${DB_NOW}`);
  return query;
}

/** When a new offer stops being answerable: a while after its creation, or at a set time (a stored offer's files' expiry). */
export type OfferExpiry = { afterSeconds: number } | { at: Date };

/** The most pending offers a device is told of when it comes online (oldest first; the rest are in the list). */
export const MAX_PENDING_OFFERS_ANNOUNCED = 200;

/** What a move may write beside the status. */
export interface TransitionChanges {
  /** Why a transfer failed; for moves to `failed`. */
  failureCode?: string;
  /** Bytes the receiver got; for moves that end a relayed stream. */
  deliveredBytes?: number;
  /** For the move to `streaming`: the replica that holds the stream, for this many seconds (ADR 0008). */
  streamLease?: { replica: string; seconds: number };
}

const leaseUntil = (seconds: number) => () => `${DB_NOW} + INTERVAL ${Math.trunc(seconds)} SECOND`;

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
   * Records a new pending offer, expiring as `expiry` says; null when either device is not
   * the account's. Both devices are share-locked until commit, so a deletion of one of them
   * waits and then cancels this transfer too, never leaving it open.
   */
  createTransfer(
    ownerId: string,
    id: string,
    offer: TransferOffer,
    expiry: OfferExpiry,
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
          expiresAt:
            'at' in expiry ? expiry.at : () => `${DB_NOW} + INTERVAL ${Math.trunc(expiry.afterSeconds)} SECOND`,
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
    const { streamLease, ...columns } = changes;
    const lease = streamLease && {
      streamReplica: streamLease.replica,
      streamLeaseUntil: leaseUntil(streamLease.seconds),
    };
    const query = this.transfers
      .createQueryBuilder()
      .update()
      .set({ status: to, updatedAt: () => DB_NOW, ...columns, ...lease })
      .where('id = :transferId AND owner_id = :ownerId', { transferId, ownerId });
    const result = await whereStillMovable(query, from, to).execute();
    return (result.affected ?? 0) > 0;
  }

  /** The account's transfers from or to `deviceId` that are `streaming` (a reconnecting device resumes them). */
  findStreamingOf(ownerId: string, deviceId: string): Promise<TransferEntity[]> {
    return this.transfers.find({
      where: [
        { ownerId, fromDeviceId: deviceId, status: 'streaming' },
        { ownerId, toDeviceId: deviceId, status: 'streaming' },
      ],
    });
  }

  /**
   * Takes over a streaming transfer for `replica` (a resume through it): only while its lease
   * has not run out, since a lapsed one is being ended `failed`. False: not streaming any more.
   */
  async claimStream(ownerId: string, transferId: string, replica: string, seconds: number): Promise<boolean> {
    const result = await this.transfers
      .createQueryBuilder()
      .update()
      .set({ streamReplica: replica, streamLeaseUntil: leaseUntil(seconds), updatedAt: () => DB_NOW })
      .where('id = :transferId AND owner_id = :ownerId', { transferId, ownerId })
      .andWhere(`status = 'streaming' AND stream_lease_until > ${DB_NOW}`)
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Renews the leases `replica` holds on these transfers (one UPDATE for all of them). */
  async renewStreamLeases(transferIds: readonly string[], replica: string, seconds: number): Promise<void> {
    if (transferIds.length === 0) return;
    await this.transfers
      .createQueryBuilder()
      .update()
      .set({ streamLeaseUntil: leaseUntil(seconds) })
      .where('id IN (:...transferIds) AND stream_replica = :replica', { transferIds, replica })
      .andWhere(`status = 'streaming'`)
      .execute();
  }

  /**
   * A device of a stream `replica` held dropped: the transfer stays `streaming` for `seconds`
   * (the resume window) with the bytes known to be delivered, unless another replica took it over.
   */
  async interruptStream(
    ownerId: string,
    transferId: string,
    replica: string,
    deliveredBytes: number,
    seconds: number,
  ): Promise<void> {
    await this.transfers
      .createQueryBuilder()
      .update()
      .set({ deliveredBytes, streamLeaseUntil: leaseUntil(seconds), updatedAt: () => DB_NOW })
      .where('id = :transferId AND owner_id = :ownerId AND stream_replica = :replica', {
        transferId,
        ownerId,
        replica,
      })
      .andWhere(`status = 'streaming'`)
      .execute();
  }

  /** Up to `limit` streaming transfers of any account whose lease ran out (along the (status, lease) index). */
  findLapsedStreams(limit: number): Promise<TransferEntity[]> {
    return this.transfers
      .createQueryBuilder('transfer')
      .where(`transfer.status = 'streaming' AND transfer.stream_lease_until <= ${DB_NOW}`)
      .orderBy('transfer.stream_lease_until', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Fails a streaming transfer whose lease ran out, if it still has (a resume may have just claimed it). */
  async failLapsedStream(ownerId: string, transferId: string, failureCode: string): Promise<boolean> {
    const result = await this.transfers
      .createQueryBuilder()
      .update()
      .set({ status: 'failed', failureCode, updatedAt: () => DB_NOW })
      .where('id = :transferId AND owner_id = :ownerId', { transferId, ownerId })
      .andWhere(`status = 'streaming' AND stream_lease_until <= ${DB_NOW}`)
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Accepts a pending `stored` offer and delivers it in one transaction: pending → accepted
   * (only before its expiry, as moveIfStill would), then accepted → completed, the stored
   * mode's own move. Nobody ever sees it accepted, and a crash between the two cannot leave
   * it accepted with no stream ever to come. False: it was not a pending stored offer any more.
   */
  acceptStored(ownerId: string, transferId: string): Promise<boolean> {
    if (!canTransition('accepted', 'completed', 'stored')) throw new Error('stored transfers cannot complete');
    return this.dataSource.transaction(ISOLATION, async (manager) => {
      const transfers = manager.getRepository(TransferSchema);
      const accept = transfers
        .createQueryBuilder()
        .update()
        .set({ status: 'accepted', updatedAt: () => DB_NOW })
        .where("id = :transferId AND owner_id = :ownerId AND mode = 'stored'", { transferId, ownerId });
      const accepted = await whereStillMovable(accept, 'pending', 'accepted').execute();
      if ((accepted.affected ?? 0) === 0) return false;
      await transfers
        .createQueryBuilder()
        .update()
        .set({ status: 'completed', updatedAt: () => DB_NOW })
        .where("id = :transferId AND owner_id = :ownerId AND mode = 'stored' AND status = 'accepted'", {
          transferId,
          ownerId,
        })
        .execute();
      return true;
    });
  }

  /**
   * The offers still waiting for `deviceId`'s answer (pending and before their expiry), oldest
   * first, up to MAX_PENDING_OFFERS_ANNOUNCED: read along the (to_device_id, status) index.
   */
  pendingOffersTo(ownerId: string, deviceId: string): Promise<TransferEntity[]> {
    return this.transfers
      .createQueryBuilder('transfer')
      .where('transfer.to_device_id = :deviceId AND transfer.owner_id = :ownerId', { deviceId, ownerId })
      .andWhere("transfer.status = 'pending'")
      .andWhere(`transfer.expires_at > ${DB_NOW}`)
      .orderBy('transfer.created_at', 'ASC')
      .addOrderBy('transfer.id', 'ASC')
      .limit(MAX_PENDING_OFFERS_ANNOUNCED)
      .getMany();
  }

  /**
   * Expires up to `limit` pending offers past their expiry, of every account, oldest expiry
   * first, and returns them as they are now. One transaction: the due offers are read along
   * the (status, expires_at) index and locked FOR UPDATE SKIP LOCKED, so concurrent calls
   * take disjoint rows (and skip an offer a device is answering right now); then ONE
   * conditional UPDATE moves those still pending and past expiry, the same move moveIfStill
   * makes, and the rows it moved are read back. Each offer is expired exactly once.
   */
  expireOverdueOffers(limit: number): Promise<TransferEntity[]> {
    const from = 'pending';
    const to = 'expired';
    return this.dataSource.transaction(ISOLATION, async (manager) => {
      const transfers = manager.getRepository(TransferSchema);
      // In index order (status is fixed): a sort would read, and so lock, every due row before the
      // LIMIT applies, leaving a concurrent call nothing to take.
      const due = await whereStillMovable(transfers.createQueryBuilder('transfer'), from, to)
        .select('transfer.id', 'id')
        .orderBy('transfer.expires_at', 'ASC')
        .limit(limit)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getRawMany<{ id: string }>();
      const ids = due.map((row) => row.id);
      if (ids.length === 0) return [];
      const update = transfers
        .createQueryBuilder()
        .update()
        .set({ status: to, updatedAt: () => DB_NOW })
        .where('id IN (:...ids)', { ids });
      await whereStillMovable(update, from, to).execute();
      // The rows are still locked by this transaction: the expired ones are exactly those it moved.
      return transfers.find({ where: { id: In(ids), status: to }, order: { expiresAt: 'ASC', id: 'ASC' } });
    });
  }
}
