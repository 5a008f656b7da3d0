import { MemoryPendingStorage } from '../testing/fake-uploads';
import { PendingUploadLost, PendingUploads } from './pending-uploads';

function setUp(readNative: (path: string) => Promise<Blob> = () => Promise.reject(new Error('no native file'))) {
  const storage = new MemoryPendingStorage();
  let ids = 0;
  let clock = 1000;
  const store = new PendingUploads(
    storage,
    readNative,
    () => `p${++ids}`,
    () => clock++,
  );
  return { storage, store };
}

const photo = () => new File(['pixels'], 'beach.jpg', { type: 'image/jpeg', lastModified: 1_700_000_000_000 });

describe('PendingUploads', () => {
  it('records a started upload with the file’s identity and its options, but never the PIN', async () => {
    const { store, storage } = setUp();
    const record = await store.record({ file: photo(), nativePath: null }, { pin: '123456', downloadLimit: 3 });

    expect(record).toEqual({
      id: 'p1',
      name: 'beach.jpg',
      size: 6,
      type: 'image/jpeg',
      lastModified: 1_700_000_000_000,
      options: { downloadLimit: 3 },
      hadPin: true,
      nativePath: null,
      startedAt: 1000,
    });
    expect(JSON.stringify([...storage.rows.values()].map((row) => row.record))).not.toContain('123456');
  });

  it('keeps the bytes in a browser, and only the path on a phone', async () => {
    const { store, storage } = setUp();
    const browser = await store.record({ file: photo(), nativePath: null }, {});
    const phone = await store.record({ file: photo(), nativePath: 'file:///photos/beach.jpg' }, {});

    expect(await storage.bytes(browser.id)).toBeInstanceOf(Blob);
    expect(await storage.bytes(phone.id)).toBeNull();
    expect(phone).toMatchObject({
      nativePath: 'file:///photos/beach.jpg',
      hadPin: false,
      options: { downloadLimit: null },
    });
  });

  it('lists them oldest first and forgets one that was removed', async () => {
    const { store } = setUp();
    const first = await store.record({ file: photo(), nativePath: null }, {});
    const second = await store.record({ file: new File(['x'], 'b.txt'), nativePath: null }, {});
    await store.remove(first.id);
    expect((await store.list()).map((record) => record.id)).toEqual([second.id]);
  });

  it('rebuilds the same File from kept bytes, so that its tus fingerprint matches', async () => {
    const { store } = setUp();
    const record = await store.record({ file: photo(), nativePath: null }, {});
    const file = await store.restore(record);

    expect([file.name, file.type, file.size, file.lastModified]).toEqual([
      'beach.jpg',
      'image/jpeg',
      6,
      1_700_000_000_000,
    ]);
    expect(await file.text()).toBe('pixels');
  });

  it('reads a phone’s file again from its path', async () => {
    const readNative = vi.fn(async () => new Blob(['pixels']));
    const { store } = setUp(readNative);
    const record = await store.record({ file: photo(), nativePath: '/photos/beach.jpg' }, {});
    const file = await store.restore(record);

    expect(readNative).toHaveBeenCalledWith('/photos/beach.jpg');
    expect([file.name, file.type, file.lastModified]).toEqual(['beach.jpg', 'image/jpeg', 1_700_000_000_000]);
  });

  it('says the upload is lost when its bytes are gone, unreadable or changed', async () => {
    const gone = setUp();
    const kept = await gone.store.record({ file: photo(), nativePath: null }, {});
    gone.storage.rows.set(kept.id, { record: kept, bytes: null });
    await expect(gone.store.restore(kept)).rejects.toBeInstanceOf(PendingUploadLost);

    const unreadable = setUp(() => Promise.reject(new Error('permission revoked')));
    const onPhone = await unreadable.store.record({ file: photo(), nativePath: '/photos/beach.jpg' }, {});
    await expect(unreadable.store.restore(onPhone)).rejects.toBeInstanceOf(PendingUploadLost);

    const changed = setUp(async () => new Blob(['other pixels']));
    const edited = await changed.store.record({ file: photo(), nativePath: '/photos/beach.jpg' }, {});
    await expect(changed.store.restore(edited)).rejects.toBeInstanceOf(PendingUploadLost);
  });
});
