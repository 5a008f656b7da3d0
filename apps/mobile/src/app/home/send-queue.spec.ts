import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { PluginListenerHandle } from '@capacitor/core';
import type { ShareReceivedEvent } from '@capgo/capacitor-share-target';
import { ApiError } from '@lexy/client-api';
import { API_CLIENT, TUS } from '@lexy/client-state';
import { APP_PLUGIN, APP_WINDOW } from '../platform/app-foreground';
import { NATIVE_FILE_READER } from '../platform/native-file';
import { PENDING_UPLOADS, PendingUploads } from '../platform/pending-uploads';
import { SHARE_TARGET_PLUGIN } from '../platform/share-target';
import { FakeTusServer, MemoryPendingStorage, fakeUploadApi, settle } from '../testing/fake-uploads';
import { SendQueue } from './send-queue';

const film = () => new File(['x'.repeat(40)], 'film.mov', { type: 'video/quicktime', lastModified: 1_700_000_000_000 });

interface Setup {
  /** Records left by an earlier run of the app, written before the queue starts. */
  earlier?: (store: PendingUploads) => Promise<unknown>;
  /** What tus-js-client remembers from that run. */
  remembered?: (server: FakeTusServer) => void;
  readNative?: (path: string) => Promise<Blob>;
  uploadOffset?: (url: string) => Promise<{ offset: number; length: number }>;
}

async function setUp(options: Setup = {}) {
  const server = new FakeTusServer();
  const storage = new MemoryPendingStorage();
  let ids = 0;
  const readNative = options.readNative ?? (() => Promise.reject(new Error('no such file')));
  const store = new PendingUploads(storage, readNative, () => `p${++ids}`);
  await options.earlier?.(store);
  options.remembered?.(server);
  const api = {
    ...fakeUploadApi(),
    uploadOffset: vi.fn(options.uploadOffset ?? (async () => ({ offset: 8, length: 40 }))),
  };

  let appStateListener: ((state: { isActive: boolean }) => void) | null = null;
  const app = {
    addListener: async (_event: string, listener: (state: { isActive: boolean }) => void) => {
      appStateListener = listener;
      return { remove: async () => undefined };
    },
  };
  let shareListener: ((event: ShareReceivedEvent) => void) | null = null;
  const shareTarget = {
    addListener: async (
      _event: string,
      listener: (event: ShareReceivedEvent) => void,
    ): Promise<PluginListenerHandle> => {
      shareListener = listener;
      return { remove: async () => undefined };
    },
  };
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      { provide: API_CLIENT, useValue: api },
      { provide: TUS, useValue: server.tus },
      { provide: PENDING_UPLOADS, useValue: store },
      { provide: NATIVE_FILE_READER, useValue: readNative },
      { provide: APP_PLUGIN, useValue: app },
      { provide: APP_WINDOW, useValue: new EventTarget() },
      { provide: SHARE_TARGET_PLUGIN, useValue: shareTarget },
    ],
  });
  const queue = TestBed.inject(SendQueue);
  await queue.restoring;
  await settle();
  /** Lets the queue see the upload service's new state (its effect) and write the store. */
  const flush = async () => {
    await settle();
    TestBed.tick();
    await settle();
  };
  return {
    queue,
    server,
    storage,
    api,
    flush,
    backInFront: () => appStateListener?.({ isActive: true }),
    share: (event: ShareReceivedEvent) => shareListener?.(event),
  };
}

/** The uploads that were started (a lookup of tus's memory makes one that never is). */
const started = (server: FakeTusServer) => server.uploads.filter((upload) => upload.started > 0);

describe('SendQueue', () => {
  it('records each file it sends, without the PIN, until it is through', async () => {
    const { queue, server, storage, flush } = await setUp();
    queue.pin.set('123456');
    queue.downloadLimit.set(2);
    queue.send([{ file: film(), nativePath: null }]);
    await flush();

    expect(server.last.options.metadata).toMatchObject({ filename: 'film.mov', pin: '123456', downloadLimit: '2' });
    const [row] = [...storage.rows.values()];
    expect(row!.record).toMatchObject({ name: 'film.mov', hadPin: true, options: { downloadLimit: 2 } });
    expect(JSON.stringify(row!.record)).not.toContain('123456');

    server.last.succeed('abc123');
    await flush();
    expect(queue.items()[0]).toMatchObject({ phase: 'done', file: { code: 'ABC123' } });
    expect(storage.rows.size).toBe(0);
  });

  it('forgets a refused upload, keeps an interrupted one, and forgets a cancelled one', async () => {
    const { queue, server, storage, flush } = await setUp();
    queue.send([
      { file: new File(['a'], 'refused.txt'), nativePath: null },
      { file: new File(['b'], 'interrupted.txt'), nativePath: null },
    ]);
    await flush();
    expect(storage.rows.size).toBe(2);

    server.uploads[0]!.options.onError?.(new ApiError(413, 'FILE_TOO_LARGE', 'too large'));
    await flush();
    server.uploads[1]!.loseNetwork();
    await flush();
    expect([...storage.rows.values()].map((row) => row.record.name)).toEqual(['interrupted.txt']);

    queue.cancel(queue.items().find((item) => item.fileName === 'interrupted.txt')!.id);
    await flush();
    expect(server.uploads[1]!.aborts).toEqual([true]);
    expect(storage.rows.size).toBe(0);
  });

  it('takes an interrupted upload up again when the app is back in front', async () => {
    const { queue, server, flush, backInFront } = await setUp();
    const file = film();
    queue.send([{ file, nativePath: null }]);
    await flush();
    server.last.loseNetwork();
    await flush();
    expect(queue.items()[0]).toMatchObject({ phase: 'failed', retryable: true });

    backInFront();
    await flush();
    expect(server.uploads).toHaveLength(2);
    expect(server.last.file).toBe(file);
    expect(server.last.started).toBe(1);
    expect(queue.items()[0]!.phase).toBe('uploading');
  });

  it('resumes, at the next start, what the app left unfinished: the same tus upload from the server’s offset', async () => {
    const { queue, server, storage, flush } = await setUp({
      earlier: (store) => store.record({ file: film(), nativePath: null }, { downloadLimit: 5 }),
      // tus-js-client remembers the upload under the fingerprint of the file as it was picked.
      remembered: (tus) => tus.remember(film(), 'up1'),
    });
    await flush();

    expect(queue.restored()).toMatchObject([{ record: { name: 'film.mov' }, status: 'uploading' }]);
    const [resumed] = started(server);
    expect(resumed!.resumedFrom?.uploadUrl).toBe('http://gw.test/api/v1/uploads/up1');
    expect([resumed!.file.name, resumed!.file.type, resumed!.file.lastModified]).toEqual([
      'film.mov',
      'video/quicktime',
      1_700_000_000_000,
    ]);
    expect(resumed!.options.metadata).toMatchObject({ downloadLimit: '5' });
    expect(resumed!.options.metadata).not.toHaveProperty('pin');

    resumed!.succeed('up1');
    await flush();
    expect(queue.restored()).toEqual([]);
    expect(storage.rows.size).toBe(0);
    expect(queue.items()[0]).toMatchObject({ phase: 'done', file: { code: 'UP1' } });
  });

  it('lets an upload with a PIN go on by itself where the server still has it', async () => {
    const { queue, server, api, flush } = await setUp({
      earlier: (store) => store.record({ file: film(), nativePath: null }, { pin: '123456' }),
      remembered: (tus) => tus.remember(film(), 'up1'),
    });
    await flush();

    expect(api.uploadOffset).toHaveBeenCalledWith('http://gw.test/api/v1/uploads/up1');
    expect(queue.restored()[0]!.status).toBe('uploading');
    expect(started(server)[0]!.resumedFrom).not.toBeNull();
  });

  it('asks for the PIN again where the server no longer has the upload, rather than send it unprotected', async () => {
    const { queue, server, flush } = await setUp({
      earlier: (store) => store.record({ file: film(), nativePath: null }, { pin: '123456' }),
      remembered: (tus) => tus.remember(film(), 'up1'),
      uploadOffset: () => Promise.reject(new ApiError(410, 'UPLOAD_EXPIRED', 'expired')),
    });
    await flush();

    expect(queue.restored()[0]!.status).toBe('needs-pin');
    expect(started(server)).toEqual([]);

    queue.resumeWithPin('p1', ' 654321 ');
    await flush();
    expect(queue.restored()[0]!.status).toBe('uploading');
    expect(started(server)[0]!.options.metadata).toMatchObject({ filename: 'film.mov', pin: '654321' });
  });

  it('says which uploads can no longer be read, and forgets them when told to', async () => {
    const { queue, server, storage, flush } = await setUp({
      earlier: (store) => store.record({ file: film(), nativePath: '/photos/film.mov' }, {}),
      readNative: () => Promise.reject(new Error('permission revoked')),
    });
    await flush();

    expect(queue.restored()).toMatchObject([{ record: { name: 'film.mov' }, status: 'lost' }]);
    expect(started(server)).toEqual([]);
    queue.discard('p1');
    await flush();
    expect(queue.restored()).toEqual([]);
    expect(storage.rows.size).toBe(0);
  });

  it('sends the files other apps share to it, and shows the Send screen', async () => {
    const { queue, server, storage, flush, share } = await setUp({
      readNative: async (path) =>
        path === '/cache/report.pdf' ? new Blob(['%PDF']) : Promise.reject(new Error('gone')),
    });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    share({
      title: '',
      texts: [],
      files: [{ uri: '/cache/report.pdf', name: 'report.pdf', mimeType: 'application/pdf' }],
    });
    await flush();

    expect(started(server).map((upload) => [upload.file.name, upload.file.type])).toEqual([
      ['report.pdf', 'application/pdf'],
    ]);
    expect([...storage.rows.values()].map((row) => row.record.nativePath)).toEqual(['/cache/report.pdf']);
    expect(navigate).toHaveBeenCalledWith('/home');
    expect(queue.unreadableShared()).toBe(0);
  });
});
