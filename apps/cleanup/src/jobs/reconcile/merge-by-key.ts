/** Everything both sides hold under one key; a side without the key has an empty list. */
export interface KeyMatch<L, R> {
  key: string;
  left: L[];
  right: R[];
}

/** A side of a merge went backwards: merging it would report keys as missing that are not. */
export class OutOfOrderError extends Error {
  constructor(side: string, previous: string, next: string) {
    super(`The ${side} side is not in key order: ${JSON.stringify(next)} came after ${JSON.stringify(previous)}`);
    this.name = 'OutOfOrderError';
  }
}

/**
 * Orders keys as S3 lists them and as the files service's `ascii_bin` column sorts them: by
 * their UTF-8 bytes. (JavaScript's `<` compares UTF-16 units, which differs above U+FFFF.)
 */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Joins two sources sorted by key, in one pass and holding only the current key's items: each
 * key either side has comes out once, in key order, with the items of both sides under it.
 * Either source may repeat a key (items in a row); one that goes backwards fails the merge with
 * OutOfOrderError, because a merge of unsorted input would pair nothing and call everything
 * unmatched. Sources are read as far as the consumer reads, and closed when it stops.
 */
export async function* mergeByKey<L, R>(
  left: AsyncIterable<L>,
  right: AsyncIterable<R>,
  leftKey: (item: L) => string,
  rightKey: (item: R) => string,
): AsyncGenerator<KeyMatch<L, R>> {
  const lefts = groupsInOrder(left, leftKey, 'left')[Symbol.asyncIterator]();
  const rights = groupsInOrder(right, rightKey, 'right')[Symbol.asyncIterator]();
  try {
    let [l, r] = await Promise.all([nextOf(lefts), nextOf(rights)]);
    while (l || r) {
      if (l && (!r || compareKeys(l.key, r.key) < 0)) {
        yield { key: l.key, left: l.items, right: [] };
        l = await nextOf(lefts);
      } else if (r && (!l || compareKeys(l.key, r.key) > 0)) {
        yield { key: r.key, left: [], right: r.items };
        r = await nextOf(rights);
      } else if (l && r) {
        yield { key: l.key, left: l.items, right: r.items };
        [l, r] = await Promise.all([nextOf(lefts), nextOf(rights)]);
      }
    }
  } finally {
    await Promise.all([lefts.return?.(undefined), rights.return?.(undefined)]);
  }
}

interface Group<T> {
  key: string;
  items: T[];
}

async function nextOf<T>(groups: AsyncIterator<Group<T>>): Promise<Group<T> | undefined> {
  const next = await groups.next();
  return next.done ? undefined : next.value;
}

/** Runs of items with the same key, checked to come in strictly increasing key order. */
async function* groupsInOrder<T>(
  source: AsyncIterable<T>,
  keyOf: (item: T) => string,
  side: string,
): AsyncGenerator<Group<T>> {
  let current: Group<T> | undefined;
  for await (const item of source) {
    const key = keyOf(item);
    if (current && key === current.key) {
      current.items.push(item);
      continue;
    }
    if (current) {
      if (compareKeys(current.key, key) > 0) throw new OutOfOrderError(side, current.key, key);
      yield current;
    }
    current = { key, items: [item] };
  }
  if (current) yield current;
}
