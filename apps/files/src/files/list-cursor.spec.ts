import { decodeListCursor, encodeListCursor } from './list-cursor.js';

describe('list cursor', () => {
  const position = { createdAt: new Date('2026-11-25T10:11:12.345Z'), id: '0190f4a2-0000-7000-8000-00000000000a' };

  it('round-trips a position as opaque base64url', () => {
    const cursor = encodeListCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeListCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64', '!!!'],
    ['random text', Buffer.from('hello').toString('base64url')],
    ['a bad date', Buffer.from('2026-13-45T10:11:12.345Z|0190f4a2-0000-7000-8000-00000000000a').toString('base64url')],
    ['a bad id', Buffer.from('2026-11-25T10:11:12.345Z|1 OR 1=1').toString('base64url')],
    ['extra parts', Buffer.from(`2026-11-25T10:11:12.345Z|${position.id}|x`).toString('base64url')],
    ['too long', 'A'.repeat(500)],
  ])('rejects %s', (_, cursor) => {
    expect(decodeListCursor(cursor)).toBeNull();
  });
});
