import type { OwnedRow } from './quota.repository.js';
import { groupByOwner, releaseByOwner, type OwnerRelease } from './release-by-owner.js';

const row = (id: string, ownerId: string): OwnedRow => ({ id, ownerId });

describe('groupByOwner', () => {
  it("collects each owner's ids in the order they came", () => {
    const groups = groupByOwner([row('f1', 'b'), row('f2', 'a'), row('f3', 'b'), row('f4', 'c'), row('f5', 'a')]);
    expect([...groups]).toEqual([
      ['b', ['f1', 'f3']],
      ['a', ['f2', 'f5']],
      ['c', ['f4']],
    ]);
  });

  it('is empty for no rows', () => {
    expect(groupByOwner([]).size).toBe(0);
  });
});

/** A ledger of id -> owner and bytes that `release` empties, as the transactions would. */
function fakeLedger(entries: Record<string, [owner: string, bytes: number]>) {
  const ledger = new Map(Object.entries(entries));
  const lookUps: string[][] = [];
  const releases: [string, string[]][] = [];
  const lookUp = async (ids: readonly string[]) => {
    lookUps.push([...ids]);
    return ids.flatMap((id) => {
      const entry = ledger.get(id);
      return entry ? [row(id, entry[0])] : [];
    });
  };
  const release = async (ownerId: string, ids: string[]): Promise<OwnerRelease> => {
    releases.push([ownerId, ids]);
    const mine = ids.filter((id) => ledger.get(id)?.[0] === ownerId);
    const bytes = mine.reduce((sum, id) => sum + ledger.get(id)![1], 0);
    for (const id of mine) ledger.delete(id);
    return { ids: mine, bytes };
  };
  return { ledger, lookUps, releases, lookUp, release };
}

describe('releaseByOwner', () => {
  it('releases once per owner and sums what was released', async () => {
    const fake = fakeLedger({ f1: ['a', 10], f2: ['b', 20], f3: ['a', 5] });
    const totals = await releaseByOwner(['f1', 'f2', 'f3', 'missing'], fake.lookUp, fake.release);
    expect(totals).toEqual({ released: 3, releasedBytes: 35 });
    expect(fake.releases).toEqual([
      ['a', ['f1', 'f3']],
      ['b', ['f2']],
    ]);
    expect(fake.lookUps).toEqual([['f1', 'f2', 'f3', 'missing']]);
  });

  it('does nothing for no ids', async () => {
    const fake = fakeLedger({});
    expect(await releaseByOwner([], fake.lookUp, fake.release)).toEqual({ released: 0, releasedBytes: 0 });
    expect(fake.lookUps).toEqual([]);
  });

  it('looks an id up again when its row changed owner before the lock, and releases it there', async () => {
    const fake = fakeLedger({ f1: ['a', 10], f2: ['a', 7] });
    const release = async (ownerId: string, ids: string[]) => {
      // A move hands f1 to b between the look-up and a's lock.
      if (fake.ledger.get('f1')?.[0] === 'a') fake.ledger.set('f1', ['b', 10]);
      return fake.release(ownerId, ids);
    };
    const totals = await releaseByOwner(['f1', 'f2'], fake.lookUp, release);
    expect(totals).toEqual({ released: 2, releasedBytes: 17 });
    expect(fake.releases).toEqual([
      ['a', ['f1', 'f2']],
      ['b', ['f1']],
    ]);
    expect(fake.lookUps).toEqual([['f1', 'f2'], ['f1']]);
  });

  it('counts nothing for rows another call released first, and stops when they are gone', async () => {
    const fake = fakeLedger({ f1: ['a', 10] });
    const release = async (ownerId: string, ids: string[]) => {
      fake.ledger.delete('f1');
      return fake.release(ownerId, ids);
    };
    expect(await releaseByOwner(['f1'], fake.lookUp, release)).toEqual({ released: 0, releasedBytes: 0 });
    expect(fake.lookUps).toEqual([['f1'], ['f1']]);
  });

  it('gives up on a row that keeps moving after a few rounds', async () => {
    const fake = fakeLedger({ f1: ['a', 10] });
    const release = async (ownerId: string) => {
      fake.ledger.set('f1', [`${ownerId}'`, 10]);
      return { ids: [], bytes: 0 };
    };
    expect(await releaseByOwner(['f1'], fake.lookUp, release)).toEqual({ released: 0, releasedBytes: 0 });
    expect(fake.lookUps).toHaveLength(3);
  });
});
