import { parseClientFrame, transferEventOf } from './socket-frames.js';

const text = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseClientFrame', () => {
  it('reads ping and auth frames', () => {
    expect(parseClientFrame(text({ type: 'ping' }), false)).toEqual({ ok: true, frame: { type: 'ping' } });
    expect(parseClientFrame(text({ type: 'auth', token: 't.o.k', deviceId: 'd' }), false)).toEqual({
      ok: true,
      frame: { type: 'auth', token: 't.o.k', deviceId: 'd' },
    });
  });

  it('reads transfer.sent and transfer.received frames, with lower-case ids', () => {
    const id = '0190A000-0000-7000-8000-000000000001';
    const sha256 = ['AB'.repeat(32), '0f'.repeat(32)];
    expect(parseClientFrame(text({ type: 'transfer.sent', transferId: id, sha256 }), false)).toEqual({
      ok: true,
      frame: { type: 'transfer.sent', transferId: id.toLowerCase(), sha256 },
    });
    expect(parseClientFrame(text({ type: 'transfer.received', transferId: id, ok: true }), false)).toEqual({
      ok: true,
      frame: { type: 'transfer.received', transferId: id.toLowerCase(), ok: true },
    });
    expect(parseClientFrame(text({ type: 'transfer.sent', transferId: id, sha256: ['xyz'] }), false).ok).toBe(false);
    expect(parseClientFrame(text({ type: 'transfer.received', transferId: 'nope', ok: true }), false).ok).toBe(false);
    expect(parseClientFrame(text({ type: 'transfer.received', transferId: id, ok: 'yes' }), false).ok).toBe(false);
  });

  it('reads a transfer.resume frame with its byte offset, and a lower-case id', () => {
    const id = '0190A000-0000-7000-8000-000000000001';
    expect(parseClientFrame(text({ type: 'transfer.resume', transferId: id, offset: 1_048_576 }), false)).toEqual({
      ok: true,
      frame: { type: 'transfer.resume', transferId: id.toLowerCase(), offset: 1_048_576 },
    });
    expect(parseClientFrame(text({ type: 'transfer.resume', transferId: id, offset: 0 }), false)).toEqual({
      ok: true,
      frame: { type: 'transfer.resume', transferId: id.toLowerCase(), offset: 0 },
    });
  });

  it.each([
    ['a negative offset', { offset: -1 }],
    ['a fractional offset', { offset: 1.5 }],
    ['an offset beyond the safe integers', { offset: 2 ** 53 }],
    ['an offset as a string', { offset: '10' }],
    ['no offset', {}],
    ['no transfer id', { transferId: undefined, offset: 10 }],
    ['a transfer id that is no UUID', { transferId: 'transfer-1', offset: 10 }],
  ])('refuses a transfer.resume frame with %s', (_name, fields) => {
    const frame = { type: 'transfer.resume', transferId: '0190a000-0000-7000-8000-000000000001', ...fields };
    expect(parseClientFrame(text(frame), false)).toEqual({
      ok: false,
      message: 'A transfer.resume frame needs a transferId and a byte offset',
    });
  });

  it('reads a frame handed over in fragments or as an ArrayBuffer', () => {
    const bytes = text({ type: 'ping' });
    expect(parseClientFrame([bytes.subarray(0, 3), bytes.subarray(3)], false).ok).toBe(true);
    const copy = new ArrayBuffer(bytes.length);
    new Uint8Array(copy).set(bytes);
    expect(parseClientFrame(copy, false).ok).toBe(true);
  });

  it.each([
    ['invalid JSON', text('{not json'), false],
    ['a JSON array', text([1, 2]), false],
    ['JSON null', text('null'), false],
    ['a string', text('"ping"'), false],
    ['no type', text({ token: 'x' }), false],
    ['an unknown type', text({ type: 'launch.rockets' }), false],
    ['an auth frame without a token', text({ type: 'auth', deviceId: 'd' }), false],
    ['an auth frame with an empty device id', text({ type: 'auth', token: 't', deviceId: '' }), false],
    ['an auth frame with a huge token', text({ type: 'auth', token: 'x'.repeat(5000), deviceId: 'd' }), false],
    ['a binary frame', text({ type: 'ping' }), true],
  ])('refuses %s with a message', (_name, data, isBinary) => {
    const parsed = parseClientFrame(data, isBinary);
    expect(parsed).toEqual({ ok: false, message: expect.any(String) });
  });
});

describe('transferEventOf', () => {
  it('names the event of each announced state, and none for pending or streaming', () => {
    expect(transferEventOf('accepted')).toBe('transfer.accepted');
    expect(transferEventOf('expired')).toBe('transfer.expired');
    expect(transferEventOf('pending')).toBeNull();
    expect(transferEventOf('streaming')).toBeNull();
  });
});
