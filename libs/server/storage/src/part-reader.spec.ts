import { PassThrough, Readable } from 'node:stream';
import { choosePartSize, PartReader } from './part-reader.js';
import { MIB } from './storage-config.js';
import { StorageError } from './storage-error.js';

async function readParts(reader: PartReader): Promise<{ parts: string[]; doneAfter: boolean[] }> {
  const parts: string[] = [];
  const doneAfter: boolean[] = [];
  for (let part = await reader.next(); part; part = await reader.next()) {
    parts.push(part.toString());
    doneAfter.push(reader.done);
  }
  return { parts, doneAfter };
}

describe('PartReader', () => {
  it('cuts chunks into parts of exactly partSize, across chunk boundaries', async () => {
    const reader = new PartReader(Readable.from(['ab', 'cdefg', 'h', 'ijk']), 4);
    expect(await readParts(reader)).toEqual({ parts: ['abcd', 'efgh', 'ijk'], doneAfter: [false, false, true] });
    expect(reader.bytesRead).toBe(11);
  });

  it('knows a body of exactly one part is done after the first part', async () => {
    const reader = new PartReader(Readable.from(['abcd']), 4);
    expect((await reader.next())?.toString()).toBe('abcd');
    expect(reader.done).toBe(true);
    expect(await reader.next()).toBeNull();
  });

  it('returns null at once for an empty body, skipping empty chunks', async () => {
    const reader = new PartReader(Readable.from([Buffer.alloc(0)]), 4);
    expect(await reader.next()).toBeNull();
    expect(reader.done).toBe(true);
  });

  it('accepts strings and Uint8Arrays, and rejects other chunks', async () => {
    const bytes = new Uint8Array([0x78, 0x79, 0x7a, 0x21]).subarray(1, 3);
    expect(await readParts(new PartReader(Readable.from(['ab', bytes]), 8))).toEqual({
      parts: ['abyz'],
      doneAfter: [true],
    });
    await expect(new PartReader(Readable.from([{ not: 'bytes' }]), 8).next()).rejects.toThrow(TypeError);
  });

  it('rejects with the body error', async () => {
    const failure = new Error('client went away');
    const body = new PassThrough();
    const reader = new PartReader(body, 4);
    body.write('ab');
    setImmediate(() => body.destroy(failure));
    await expect(reader.next()).rejects.toBe(failure);
  });

  it('fails with SIZE_MISMATCH as soon as a body is longer than declared', async () => {
    const reader = new PartReader(Readable.from(['abcd', 'efgh', 'ij']), 4, 9);
    expect((await reader.next())?.toString()).toBe('abcd');
    await expect(reader.next()).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
  });

  it('fails with SIZE_MISMATCH when a body ends short of the declared size', async () => {
    const reader = new PartReader(Readable.from(['abc']), 4, 5);
    const failure = await reader.next().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({ code: 'SIZE_MISMATCH', message: expect.stringContaining('3 of the declared 5') });
  });

  it('leaves the body alive when closed early', async () => {
    const body = new PassThrough();
    body.write('abcdefgh');
    const reader = new PartReader(body, 4);
    expect((await reader.next())?.toString()).toBe('abcd');
    await reader.close();
    expect(body.destroyed).toBe(false);
  });

  it('takes its buffers in turn: with two, a part survives the next call and is reused by the one after', async () => {
    const reader = new PartReader(Readable.from([Buffer.alloc(3 * MIB, 1)]), MIB, undefined, 2);
    const first = await reader.next();
    const second = await reader.next();
    const third = await reader.next();
    expect(first!.buffer).not.toBe(second!.buffer);
    expect(third!.buffer).toBe(first!.buffer);
    expect([first, second, third].map((part) => part!.length)).toEqual([MIB, MIB, MIB]);
  });

  it('reuses one buffer, sized to the declared body when smaller than a part', async () => {
    const reader = new PartReader(Readable.from(['abcdefgh', 'ij']), 4);
    const first = await reader.next();
    const second = await reader.next();
    expect(first?.buffer).toBe(second?.buffer);
    const small = new PartReader(Readable.from(['xyz']), 16 * MIB, 3);
    expect((await small.next())?.buffer.byteLength).toBeLessThan(16 * MIB);
  });
});

describe('choosePartSize', () => {
  it('keeps the configured size unless 10,000 parts would not hold the declared body', () => {
    expect(choosePartSize(16 * MIB)).toBe(16 * MIB);
    expect(choosePartSize(16 * MIB, 100 * 1024 * MIB)).toBe(16 * MIB);
    const oneTiB = 1024 * 1024 * MIB;
    const size = choosePartSize(16 * MIB, oneTiB);
    expect(size % MIB).toBe(0);
    expect(size * 10_000).toBeGreaterThanOrEqual(oneTiB);
    expect(size).toBeLessThan(oneTiB / 10_000 + MIB);
  });

  it('refuses objects over 5 TiB', () => {
    expect(() => choosePartSize(16 * MIB, 6 * 1024 * 1024 * MIB)).toThrow(
      expect.objectContaining({ code: 'TOO_LARGE' }),
    );
  });
});
