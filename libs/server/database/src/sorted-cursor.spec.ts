import { decodeSortedCursor, encodeSortedCursor } from './sorted-cursor.js';

describe('sorted cursor', () => {
  const id = '0190f4a2-0000-7000-8000-00000000000a';
  const scope = 'users|email|asc|{"query":"ann"}';

  it.each([
    ['an email', "ann|o'brien@example.test"],
    ['a time', '2026-11-25T10:11:12.345Z'],
    ['a number', 1_234_567],
    ['an empty text', ''],
  ])('round-trips %s as opaque base64url', (_, value) => {
    const cursor = encodeSortedCursor(scope, { value, id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSortedCursor(scope, cursor)).toEqual({ value, id });
  });

  it('keeps the scope out of the cursor', () => {
    const cursor = encodeSortedCursor(scope, { value: 'x', id });
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).not.toContain('ann');
  });

  it('refuses a cursor of another scope (sort, direction or filters)', () => {
    const cursor = encodeSortedCursor(scope, { value: 'x', id });
    expect(decodeSortedCursor('users|email|desc|{"query":"ann"}', cursor)).toBeNull();
    expect(decodeSortedCursor('users|createdAt|asc|{"query":"ann"}', cursor)).toBeNull();
    expect(decodeSortedCursor('users|email|asc|{"query":"bob"}', cursor)).toBeNull();
  });

  const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
  it.each([
    ['not base64', '!!!'],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['an object', forged({ value: 'x', id })],
    ['too few parts', forged(['tag', id])],
    ['a bad id', forged(['tag', 'x', '1 OR 1=1'])],
    ['too long', 'A'.repeat(5000)],
  ])('refuses %s', (_, cursor) => {
    expect(decodeSortedCursor(scope, cursor)).toBeNull();
  });

  it('refuses a forged cursor of the right scope whose value is not a text or a number', () => {
    const good = JSON.parse(Buffer.from(encodeSortedCursor(scope, { value: 'x', id }), 'base64url').toString()) as [
      string,
      unknown,
      string,
    ];
    expect(decodeSortedCursor(scope, forged([good[0], { $gt: '' }, id]))).toBeNull();
    expect(decodeSortedCursor(scope, forged([good[0], null, id]))).toBeNull();
    expect(decodeSortedCursor(scope, forged([good[0], 'y', id]))).toEqual({ value: 'y', id });
  });
});
