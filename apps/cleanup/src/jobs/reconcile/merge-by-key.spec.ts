import fc from 'fast-check';
import { compareKeys, mergeByKey, OutOfOrderError, type KeyMatch } from './merge-by-key.js';

async function* from<T>(items: T[], onClose?: () => void): AsyncGenerator<T> {
  try {
    for (const item of items) yield item;
  } finally {
    onClose?.();
  }
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

const merged = (left: string[], right: string[]) =>
  collect(
    mergeByKey(
      from(left),
      from(right),
      (key) => key,
      (key) => key,
    ),
  );

describe('mergeByKey', () => {
  it('pairs equal keys and passes the others through, in key order', async () => {
    expect(await merged(['a', 'c', 'd'], ['b', 'c', 'e'])).toEqual([
      { key: 'a', left: ['a'], right: [] },
      { key: 'b', left: [], right: ['b'] },
      { key: 'c', left: ['c'], right: ['c'] },
      { key: 'd', left: ['d'], right: [] },
      { key: 'e', left: [], right: ['e'] },
    ]);
  });

  it('handles empty sides', async () => {
    expect(await merged([], [])).toEqual([]);
    expect(await merged(['a'], [])).toEqual([{ key: 'a', left: ['a'], right: [] }]);
    expect(await merged([], ['a'])).toEqual([{ key: 'a', left: [], right: ['a'] }]);
  });

  it('groups items of a side that share a key (a file row and an upload session of one key)', async () => {
    const refs = [
      { key: 'files/1', kind: 'file' },
      { key: 'files/1', kind: 'upload' },
      { key: 'files/2', kind: 'file' },
    ];
    const matches = await collect(
      mergeByKey(
        from([{ key: 'files/1' }]),
        from(refs),
        (object) => object.key,
        (ref) => ref.key,
      ),
    );
    expect(matches).toEqual([
      { key: 'files/1', left: [{ key: 'files/1' }], right: [refs[0], refs[1]] },
      { key: 'files/2', left: [], right: [refs[2]] },
    ]);
  });

  it('fails on a side that goes backwards instead of calling its keys unmatched', async () => {
    await expect(merged(['a', 'c', 'b'], ['a', 'b', 'c'])).rejects.toThrow(OutOfOrderError);
    await expect(merged(['a', 'b'], ['b', 'a'])).rejects.toThrow(/right side is not in key order: "a" came after "b"/);
  });

  it('orders keys by their UTF-8 bytes, as S3 does', async () => {
    // U+FF5E sorts before U+1F600 in UTF-8 (and in code points), after it in UTF-16 units.
    expect(compareKeys('\uff5e', '\u{1f600}')).toBeLessThan(0);
    expect('\uff5e' < '\u{1f600}').toBe(false);
    expect(await merged(['\uff5e', '\u{1f600}'], ['\u{1f600}'])).toHaveLength(2);
    expect(compareKeys('files/a', 'files/a')).toBe(0);
  });

  it('reads only as far as the consumer does, and closes both sides when it stops', async () => {
    const closed: string[] = [];
    let read = 0;
    const counting = async function* () {
      for (const key of ['a', 'b', 'c', 'd']) {
        read++;
        yield key;
      }
    };
    const matches = mergeByKey(
      (async function* () {
        try {
          yield* counting();
        } finally {
          closed.push('left');
        }
      })(),
      from(['a', 'b', 'c', 'd'], () => closed.push('right')),
      (key) => key,
      (key) => key,
    );
    for await (const match of matches) {
      if (match.key === 'a') break;
    }
    expect(read).toBeLessThanOrEqual(2); // a, and the look-ahead that ends a's group
    expect(closed.sort()).toEqual(['left', 'right']);
  });

  it('yields every key of either side once, in order, with exactly the items holding it', async () => {
    const key = fc.stringMatching(/^[a-c]{0,3}$/);
    await fc.assert(
      fc.asyncProperty(fc.array(key), fc.array(key), async (leftKeys, rightKeys) => {
        const left = [...new Set(leftKeys)].sort(compareKeys);
        const right = [...rightKeys].sort(compareKeys);
        const matches: KeyMatch<string, string>[] = await merged(left, right);
        const keys = [...new Set([...left, ...right])].sort(compareKeys);
        expect(matches.map((match) => match.key)).toEqual(keys);
        for (const match of matches) {
          expect(match.left).toEqual(left.filter((k) => k === match.key));
          expect(match.right).toEqual(right.filter((k) => k === match.key));
        }
      }),
    );
  });
});
