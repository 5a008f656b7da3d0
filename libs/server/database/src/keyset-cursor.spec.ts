import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.js';

describe('keyset cursor', () => {
  const position = { createdAt: new Date('2026-11-25T10:11:12.345Z'), id: '0190f4a2-0000-7000-8000-00000000000a' };

  it('round-trips a position as opaque base64url', () => {
    const cursor = encodeKeysetCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(position.id);
    expect(decodeKeysetCursor(cursor)).toEqual(position);
  });

  it('keeps millisecond precision', () => {
    const early = { ...position, createdAt: new Date('2026-11-25T10:11:12.001Z') };
    expect(decodeKeysetCursor(encodeKeysetCursor(early))?.createdAt.getTime()).toBe(early.createdAt.getTime());
  });

  it.each([
    ['not base64', '!!!'],
    ['random text', Buffer.from('hello').toString('base64url')],
    ['a bad date', Buffer.from('2026-13-45T10:11:12.345Z|0190f4a2-0000-7000-8000-00000000000a').toString('base64url')],
    ['a date without milliseconds', Buffer.from(`2026-11-25T10:11:12Z|${position.id}`).toString('base64url')],
    ['a bad id', Buffer.from('2026-11-25T10:11:12.345Z|1 OR 1=1').toString('base64url')],
    ['an upper-case id', Buffer.from(`2026-11-25T10:11:12.345Z|${position.id.toUpperCase()}`).toString('base64url')],
    ['extra parts', Buffer.from(`2026-11-25T10:11:12.345Z|${position.id}|x`).toString('base64url')],
    ['too long', 'A'.repeat(500)],
  ])('rejects %s', (_, cursor) => {
    expect(decodeKeysetCursor(cursor)).toBeNull();
  });
});
