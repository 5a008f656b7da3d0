import {
  decodeSortCursor,
  encodeSortCursor,
  sortAfter,
  sortOrderBy,
  type SortKey,
  type SortPosition,
} from './sorted-keyset.js';

const ID = '0190f4a2-0000-7000-8000-00000000000a';
const DATE_KEY: SortKey = { column: 'f.created_at', kind: 'date' };
const SIZE_KEY: SortKey = { column: 'f.size_bytes', kind: 'integer' };
const NAME_KEY: SortKey = { column: 'f.name', kind: 'string' };

const cursorOf = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');

describe('sort cursor', () => {
  it.each<[string, SortKey, SortPosition]>([
    ['a date', DATE_KEY, { value: new Date('2026-11-25T10:11:12.345Z'), id: ID }],
    ['an integer', SIZE_KEY, { value: 9_007_199_254_740_991, id: ID }],
    ['a string with separators and quotes', NAME_KEY, { value: `a|b"c'\n%_ü🙂`, id: ID }],
  ])('round-trips %s as opaque base64url', (_, key, position) => {
    const cursor = encodeSortCursor('size:asc', position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(ID);
    expect(decodeSortCursor(cursor, 'size:asc', key)).toEqual(position);
  });

  it('is valid only in the scope it was made for', () => {
    const cursor = encodeSortCursor('size:asc', { value: 5, id: ID });
    expect(decodeSortCursor(cursor, 'size:desc', SIZE_KEY)).toBeNull();
    expect(decodeSortCursor(cursor, 'name:asc', NAME_KEY)).toBeNull();
  });

  it.each([
    ['not base64url', '!!!'],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['not an array', cursorOf({ scope: 'k', value: 1, id: ID })],
    ['too few parts', cursorOf(['k', 1])],
    ['extra parts', cursorOf(['k', 1, ID, 'x'])],
    ['a bad id', cursorOf(['k', 1, '1 OR 1=1'])],
    ['an upper-case id', cursorOf(['k', 1, ID.toUpperCase()])],
    ['a string for an integer', cursorOf(['k', '1', ID])],
    ['a fraction for an integer', cursorOf(['k', 1.5, ID])],
    ['an unsafe integer', cursorOf(['k', 2 ** 60, ID])],
    ['NULL', cursorOf(['k', null, ID])],
    ['too long', 'A'.repeat(3000)],
  ])('rejects %s', (_, cursor) => {
    expect(decodeSortCursor(cursor, 'k', SIZE_KEY)).toBeNull();
  });

  it.each([
    ['a bad date', '2026-13-45T10:11:12.345Z'],
    ['a date without milliseconds', '2026-11-25T10:11:12Z'],
    ['a number', 1_700_000_000_000],
  ])('rejects %s for a date key', (_, value) => {
    expect(decodeSortCursor(cursorOf(['k', value, ID]), 'k', DATE_KEY)).toBeNull();
  });

  it('rejects a non-string for a string key', () => {
    expect(decodeSortCursor(cursorOf(['k', 12, ID]), 'k', NAME_KEY)).toBeNull();
  });
});

describe('sort order and position', () => {
  it('orders by the key and then the id, in one direction', () => {
    expect(sortOrderBy(SIZE_KEY, 'f.id', 'asc')).toEqual([
      ['f.size_bytes', 'ASC'],
      ['f.id', 'ASC'],
    ]);
    expect(sortOrderBy(SIZE_KEY, 'f.id', 'desc')).toEqual([
      ['f.size_bytes', 'DESC'],
      ['f.id', 'DESC'],
    ]);
  });

  it('continues strictly after the position, with the values bound as parameters', () => {
    expect(sortAfter(SIZE_KEY, 'f.id', 'asc', { value: 7, id: ID })).toEqual({
      sql: '(f.size_bytes > :keysetValue OR (f.size_bytes = :keysetValue AND f.id > :keysetId))',
      parameters: { keysetValue: 7, keysetId: ID },
    });
    expect(sortAfter(SIZE_KEY, 'f.id', 'desc', { value: 7, id: ID }).sql).toBe(
      '(f.size_bytes < :keysetValue OR (f.size_bytes = :keysetValue AND f.id < :keysetId))',
    );
  });
});
