import { TestBed } from '@angular/core/testing';
import { ApiError, type FileView } from '@lexy/client-api';
import {
  DetailedError,
  type HttpRequest,
  type HttpResponse,
  type PreviousUpload,
  type UploadOptions as TusOptions,
} from 'tus-js-client';
import { API_CLIENT } from './api';
import { TUS, UploadService, type TusUpload } from './upload.service';

/** Stands in for tus-js-client's Upload: the test plays the server's part through its callbacks. */
class FakeTus implements TusUpload {
  url: string | null = null;
  started = 0;
  /** The shouldTerminate of each abort() call. */
  aborts: boolean[] = [];
  resumedFrom: PreviousUpload | null = null;
  constructor(
    readonly file: File,
    readonly options: TusOptions,
    private readonly previous: PreviousUpload[],
  ) {}
  start(): void {
    this.started++;
  }
  abort(shouldTerminate = false): Promise<void> {
    this.aborts.push(shouldTerminate);
    return Promise.resolve();
  }
  findPreviousUploads(): Promise<PreviousUpload[]> {
    return Promise.resolve(this.previous);
  }
  resumeFromPreviousUpload(previous: PreviousUpload): void {
    this.resumedFrom = previous;
    this.url = previous.uploadUrl;
  }
  progress(done: number): void {
    this.options.onProgress?.(done, this.file.size);
  }
  answerHead(offset: number): void {
    const request = { getMethod: () => 'HEAD' } as HttpRequest;
    const response = { getStatus: () => 200, getHeader: () => String(offset) } as unknown as HttpResponse;
    void this.options.onAfterResponse?.(request, response);
  }
  succeed(uploadId: string): void {
    this.url = `http://gw.test/api/v1/uploads/${uploadId}`;
    this.options.onSuccess?.({ lastResponse: {} as HttpResponse });
  }
  failWith(error: Error): void {
    this.options.onError?.(error);
  }
}

/** tus-js-client's error for a request that got no answer (offline), or got the status given. */
function tusError(status: number | null): DetailedError {
  const request = { getMethod: () => 'PATCH' } as HttpRequest;
  const response =
    status === null
      ? undefined
      : ({ getStatus: () => status, getBody: () => '', getHeader: () => undefined } as unknown as HttpResponse);
  // Its typings declare only Error's constructor; the fields are what the service reads.
  return Object.assign(new DetailedError('tus: failed to upload chunk'), {
    originalRequest: request,
    originalResponse: response ?? null,
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const fileView = (code: string) => ({ id: `id-${code}`, code, shareUrl: `http://gw.test/p/${code}` }) as FileView;
const previousUpload = (name: string, key: string): PreviousUpload => ({
  size: 40,
  metadata: { filename: name },
  creationTime: '2030-01-01T00:00:00Z',
  urlStorageKey: key,
  uploadUrl: `http://gw.test/api/v1/uploads/${key}`,
  parallelUploadUrls: null,
});

function setUp(options: { stored?: PreviousUpload[]; previousFor?: (file: File) => PreviousUpload[] } = {}) {
  const uploads: FakeTus[] = [];
  const storage = {
    findAllUploads: vi.fn(async () => options.stored ?? []),
    removeUpload: vi.fn(async () => undefined),
  };
  const api = {
    uploadsEndpoint: 'http://gw.test/api/v1/uploads',
    accessToken: async () => null,
    fileByUpload: vi.fn(async (uploadId: string) => ({ file: fileView(uploadId.toUpperCase()) })),
    uploadOffset: vi.fn(async (_url: string) => ({ offset: 16, length: 40 })),
  };
  TestBed.configureTestingModule({
    providers: [
      { provide: API_CLIENT, useValue: api },
      {
        provide: TUS,
        useValue: {
          storage,
          create: (file: File, tusOptions: TusOptions) => {
            const upload = new FakeTus(file, tusOptions, options.previousFor?.(file) ?? []);
            uploads.push(upload);
            return upload;
          },
        },
      },
    ],
  });
  return { service: TestBed.inject(UploadService), uploads, storage, api };
}

describe('UploadService', () => {
  it('uploads several files one after another, each with its own code', async () => {
    const { service, uploads } = setUp();
    service.add([new File(['aa'], 'a.txt'), new File(['bbb'], 'b.txt')], { pin: '123456' });
    await settle();

    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.started).toBe(1);
    expect(uploads[0]!.options.metadata).toMatchObject({ filename: 'a.txt', pin: '123456' });
    expect(service.state().items.map((item) => item.phase)).toEqual(['uploading', 'queued']);

    uploads[0]!.progress(1);
    expect(service.state().items[0]!.percent).toBe(50);
    uploads[0]!.succeed('aaaaaa');
    await settle();

    expect(uploads).toHaveLength(2);
    expect(uploads[1]!.options.metadata).toMatchObject({ filename: 'b.txt', pin: '123456' });
    uploads[1]!.succeed('bbbbbb');
    await settle();

    const { items, selectedId } = service.state();
    expect(items.map((item) => [item.fileName, item.phase, item.file?.code])).toEqual([
      ['a.txt', 'done', 'AAAAAA'],
      ['b.txt', 'done', 'BBBBBB'],
    ]);
    // The first code's QR is shown until another is asked for.
    expect(selectedId).toBe(items[0]!.id);
    service.select(items[1]!.id);
    expect(service.state().selectedId).toBe(items[1]!.id);
  });

  it('says why a file failed and goes on with the next', async () => {
    const { service, uploads } = setUp();
    service.add([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]);
    await settle();
    uploads[0]!.failWith(new ApiError(413, 'STORAGE_QUOTA_EXCEEDED', 'full'));
    await settle();

    const [failed, next] = service.state().items;
    expect(failed!.phase).toBe('failed');
    expect(failed!.error).toBeTruthy();
    expect(next!.phase).toBe('uploading');
    expect(uploads).toHaveLength(2);
  });

  it('pauses and resumes the file on its way, and the queue waits meanwhile', async () => {
    const { service, uploads } = setUp();
    service.add([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]);
    await settle();
    service.pause();
    expect(service.state().items[0]!.phase).toBe('paused');
    expect(uploads).toHaveLength(1);
    service.resume();
    expect(service.state().items[0]!.phase).toBe('uploading');
    expect(uploads[0]!.started).toBe(2);
  });

  it('clears failed files when new ones are chosen and nothing is under way', async () => {
    const { service, uploads } = setUp();
    service.add([new File(['a'], 'a.txt')]);
    await settle();
    uploads[0]!.failWith(new Error('boom'));
    service.add([new File(['b'], 'b.txt')]);
    await settle();
    expect(service.state().items.map((item) => item.fileName)).toEqual(['b.txt']);
  });

  it('lists remembered unfinished uploads with the server’s percent, and forgets those the server lost', async () => {
    const { service, storage, api } = setUp({
      stored: [previousUpload('film.mov', 'tus::a::1'), previousUpload('gone.zip', 'tus::b::2')],
    });
    api.uploadOffset.mockImplementation(async (url: string) => {
      if (url.endsWith('tus::b::2')) throw new ApiError(410, 'UPLOAD_EXPIRED', 'expired');
      return { offset: 16, length: 40 };
    });
    await service.loadRemembered();

    expect(service.state().remembered).toEqual([{ key: 'tus::a::1', fileName: 'film.mov', percent: 40 }]);
    expect(storage.removeUpload).toHaveBeenCalledWith('tus::b::2');
  });

  it('keeps a remembered upload whose progress could not be asked, without a percent', async () => {
    const { service, api } = setUp({ stored: [previousUpload('film.mov', 'tus::a::1')] });
    api.uploadOffset.mockRejectedValue(new ApiError(0, 'NETWORK_ERROR', 'offline'));
    await service.loadRemembered();
    expect(service.state().remembered).toEqual([{ key: 'tus::a::1', fileName: 'film.mov', percent: null }]);
  });

  it('resumes the same file from the server’s offset and says where', async () => {
    const remembered = previousUpload('film.mov', 'tus::a::1');
    const { service, uploads } = setUp({
      stored: [remembered],
      previousFor: (file) => (file.name === 'film.mov' ? [remembered] : []),
    });
    await service.loadRemembered();
    service.add([new File(['x'.repeat(40)], 'film.mov')]);
    await settle();

    expect(uploads[0]!.resumedFrom).toBe(remembered);
    expect(uploads[0]!.started).toBe(1);
    expect(service.state().remembered).toEqual([]);
    uploads[0]!.answerHead(16);
    expect(service.state().items[0]).toMatchObject({ resumedAtPercent: 40, percent: 40 });
  });

  it('a new file is not a resumption', async () => {
    const { service, uploads } = setUp();
    service.add([new File(['x'], 'new.txt')]);
    await settle();
    uploads[0]!.answerHead(0);
    expect(service.state().items[0]!.resumedAtPercent).toBeNull();
  });

  it('tells the ids of the files it queued, in their order', () => {
    const { service } = setUp();
    const ids = service.add([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]);
    expect(ids).toEqual(service.state().items.map((item) => item.id));
    expect(service.add([])).toEqual([]);
  });

  it('takes an upload the network interrupted up again with the same file, after the others', async () => {
    const { service, uploads } = setUp();
    const film = new File(['x'.repeat(40)], 'film.mov');
    const [filmId] = service.add([film, new File(['b'], 'b.txt')], { pin: '123456' });
    await settle();
    uploads[0]!.failWith(tusError(null));
    await settle();

    expect(service.state().items[0]).toMatchObject({ phase: 'failed', retryable: true });
    expect(service.state().items[0]!.error).toBeTruthy();
    uploads[1]!.succeed('bbbbbb');
    await settle();

    expect(service.retryInterrupted()).toBe(1);
    await settle();
    expect(uploads).toHaveLength(3);
    expect(uploads[2]!.file).toBe(film);
    expect(uploads[2]!.options.metadata).toMatchObject({ filename: 'film.mov', pin: '123456' });
    expect(service.state().items[0]).toMatchObject({ id: filmId, phase: 'uploading', error: null, retryable: false });
  });

  it('counts a busy server as an interruption but not a refusal', async () => {
    const { service, uploads } = setUp();
    const [busy, refused] = service.add([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]);
    await settle();
    uploads[0]!.failWith(tusError(503));
    await settle();
    uploads[1]!.failWith(tusError(413));
    await settle();

    expect(service.state().items.map((item) => item.retryable)).toEqual([true, false]);
    expect(service.retry(refused!)).toBe(false);
    expect(service.retry(busy!)).toBe(true);
  });

  it('keeps interrupted files listed when new ones are chosen, and drops refused ones', async () => {
    const { service, uploads } = setUp();
    service.add([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]);
    await settle();
    uploads[0]!.failWith(tusError(null));
    await settle();
    uploads[1]!.failWith(tusError(413));
    await settle();
    service.add([new File(['c'], 'c.txt')]);
    expect(service.state().items.map((item) => item.fileName)).toEqual(['a.txt', 'c.txt']);
  });

  it('cancels the file on its way: the server drops it and the next one starts', async () => {
    const { service, uploads } = setUp();
    const [first] = service.add([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]);
    await settle();
    service.cancel(first!);
    await settle();

    expect(uploads[0]!.aborts).toEqual([true]);
    expect(service.state().items.map((item) => [item.fileName, item.phase])).toEqual([['b.txt', 'uploading']]);
    expect(uploads).toHaveLength(2);
  });

  it('cancels a queued or an interrupted file without touching the one on its way', async () => {
    const { service, uploads } = setUp();
    const [a, b, c] = service.add([new File(['a'], 'a.txt'), new File(['b'], 'b.txt'), new File(['c'], 'c.txt')]);
    await settle();
    uploads[0]!.failWith(tusError(null));
    await settle();
    service.cancel(c!);
    service.cancel(a!);
    await settle();

    expect(uploads[0]!.aborts).toEqual([true]);
    expect(uploads[1]!.aborts).toEqual([]);
    expect(service.state().items.map((item) => item.id)).toEqual([b]);
    expect(service.retry(a!)).toBe(false);
  });
});
