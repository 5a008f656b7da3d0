import { DataSource } from 'typeorm';
import { mysqlDataSourceOptions } from '@lexy/server-database';
import { QUOTAS_SCHEMA } from '../src/database/schema.js';
import { QuotaRepository } from '../src/quotas/quota.repository.js';
import { newOwnerId, startQuotas, storedAccount, type QuotasHarness } from './support/quotas-harness.js';

let harness: QuotasHarness;
let dataSource: DataSource;

beforeAll(async () => {
  harness = await startQuotas();
  dataSource = await new DataSource(mysqlDataSourceOptions(harness.database, QUOTAS_SCHEMA)).initialize();
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await harness?.close();
});

function barrier(parties: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    if (++arrived === parties) open();
    await opened;
  };
}

describe('QuotaRepository.transaction on a real deadlock', () => {
  it('rolls the victim back and runs its whole transaction again', async () => {
    const repository = new QuotaRepository(dataSource);
    const [a, b] = [newOwnerId(), newOwnerId()];
    const bothHoldOneLock = barrier(2);
    let attempts = 0;

    // Two transactions lock the same two accounts in opposite order: InnoDB must pick a victim.
    const crossing = (first: string, second: string) =>
      repository.transaction(async (tx) => {
        const firstAttempt = attempts++ < 2;
        const now = new Date();
        await tx.lockOrCreateAccount(first, now);
        if (firstAttempt) await bothHoldOneLock();
        await tx.lockOrCreateAccount(second, now);
        await tx.changeAccount(first, { usedBytes: 1 }, now);
        await tx.changeAccount(second, { usedBytes: 1 }, now);
      });

    await Promise.all([crossing(a, b), crossing(b, a)]);

    expect(attempts).toBe(3);
    expect(await storedAccount(harness.db, a)).toEqual({ usedBytes: 2, reservedBytes: 0 });
    expect(await storedAccount(harness.db, b)).toEqual({ usedBytes: 2, reservedBytes: 0 });
  });
});
