import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DB_NOW } from '../relay/db-clock.js';
import { endOpenTransfersOfDevice } from '../transfers/transfers.repository.js';
import type { DeviceRegistration } from './device-registration.js';
import { DeviceSchema, type DeviceEntity } from './device.entity.js';

// Transactions here run READ COMMITTED: every change to an account's devices happens while
// its device_owners row is locked, so nothing else needs locking, and each statement then
// reads what the previous lock holder committed. (REPEATABLE READ would add gap locks on the
// secondary indexes, which only block other accounts.)
const ISOLATION = 'READ COMMITTED';

/** Locks the account's device_owners row until commit; false when the account has none. */
async function lockOwner(manager: EntityManager, ownerId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query('SELECT owner_id FROM device_owners WHERE owner_id = ? FOR UPDATE', [
    ownerId,
  ]);
  return rows.length > 0;
}

/** An account's devices while its lock is held: what RegisterDevice decides on. */
export class LockedDeviceSet {
  constructor(
    private readonly manager: EntityManager,
    private readonly ownerId: string,
  ) {}

  count(): Promise<number> {
    return this.manager.countBy(DeviceSchema, { ownerId: this.ownerId });
  }

  findByFingerprint(fingerprint: string): Promise<DeviceEntity | null> {
    return this.manager.findOneBy(DeviceSchema, { ownerId: this.ownerId, fingerprint });
  }

  async insert(id: string, registration: DeviceRegistration): Promise<DeviceEntity> {
    await this.manager
      .createQueryBuilder()
      .insert()
      .into(DeviceSchema)
      .values({ id, ownerId: this.ownerId, ...registration, createdAt: () => DB_NOW, lastSeenAt: null })
      .execute();
    // Read back for the time the database wrote.
    const device = await this.manager.findOneBy(DeviceSchema, { id, ownerId: this.ownerId });
    if (!device) throw new Error('device vanished after insert');
    return device;
  }
}

/** The only place that queries the devices tables. Every query is scoped by owner id. */
@Injectable()
export class DevicesRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get devices() {
    return this.dataSource.getRepository(DeviceSchema);
  }

  /**
   * Runs `work` in one transaction holding the account's lock, so concurrent registrations
   * of one account run one after the other and each counts what the previous one added. The
   * lock row is created beforehand in a statement of its own: concurrent first inserts of one
   * key inside transactions can deadlock, an autocommitted one cannot.
   */
  async withDeviceSetLocked<T>(ownerId: string, work: (devices: LockedDeviceSet) => Promise<T>): Promise<T> {
    await this.dataSource.query(
      'INSERT INTO device_owners (owner_id) VALUES (?) ON DUPLICATE KEY UPDATE owner_id = owner_id',
      [ownerId],
    );
    return this.dataSource.transaction(ISOLATION, async (manager) => {
      if (!(await lockOwner(manager, ownerId))) throw new Error('device owner vanished after insert');
      return work(new LockedDeviceSet(manager, ownerId));
    });
  }

  /**
   * Deletes the device and ends its open transfers in the same transaction, under the
   * account's lock. False when the account has no such device (nothing is changed then).
   */
  deleteDevice(ownerId: string, deviceId: string): Promise<boolean> {
    return this.dataSource.transaction(ISOLATION, async (manager) => {
      if (!(await lockOwner(manager, ownerId))) return false;
      const deleted = await manager.delete(DeviceSchema, { id: deviceId, ownerId });
      if (!deleted.affected) return false;
      await endOpenTransfersOfDevice(manager, ownerId, deviceId);
      return true;
    });
  }

  findDevice(ownerId: string, deviceId: string): Promise<DeviceEntity | null> {
    return this.devices.findOneBy({ id: deviceId, ownerId });
  }

  /** Every device of the account, oldest first. */
  listDevices(ownerId: string): Promise<DeviceEntity[]> {
    return this.devices.find({ where: { ownerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Records a heartbeat (last_seen_at = now) and returns the device; null when the account has none such. */
  async recordHeartbeat(ownerId: string, deviceId: string): Promise<DeviceEntity | null> {
    await this.devices
      .createQueryBuilder()
      .update()
      .set({ lastSeenAt: () => DB_NOW })
      .where('id = :deviceId AND owner_id = :ownerId', { deviceId, ownerId })
      .execute();
    return this.findDevice(ownerId, deviceId);
  }
}
