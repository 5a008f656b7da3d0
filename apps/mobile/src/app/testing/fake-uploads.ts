// Test doubles at the upload service's boundary (tus-js-client and the gateway's client), so
// that the app's own specs run the real UploadService. Used by specs only.
import type { FileView } from '@lexy/client-api';
import type { TusUpload } from '@lexy/client-state';
import type { HttpRequest, HttpResponse, PreviousUpload, UploadOptions as TusOptions } from 'tus-js-client';
import { DetailedError } from 'tus-js-client';
import type { PendingUpload, PendingUploadStorage } from '../platform/pending-uploads';

/** tus-js-client's browser fingerprint, as it computes it: a rebuilt File must give the same. */
export const fingerprintOf = (file: File, endpoint: string) =>
  ['tus-br', file.name, file.type, file.size, file.lastModified, endpoint].join('-');

/** One tus upload; the spec plays the server's part through its callbacks. */
export class FakeTusUpload implements TusUpload {
  url: string | null = null;
  started = 0;
  aborts: boolean[] = [];
  resumedFrom: PreviousUpload | null = null;
  constructor(
    readonly file: File,
    readonly options: TusOptions,
    private readonly server: FakeTusServer,
  ) {}
  start(): void {
    this.started++;
  }
  abort(shouldTerminate = false): Promise<void> {
    this.aborts.push(shouldTerminate);
    return Promise.resolve();
  }
  findPreviousUploads(): Promise<PreviousUpload[]> {
    const previous = this.server.remembered.get(fingerprintOf(this.file, this.options.endpoint ?? ''));
    return Promise.resolve(previous ? [previous] : []);
  }
  resumeFromPreviousUpload(previous: PreviousUpload): void {
    this.resumedFrom = previous;
    this.url = previous.uploadUrl;
  }
  progress(done: number): void {
    this.options.onProgress?.(done, this.file.size);
  }
  succeed(uploadId: string): void {
    this.url = `http://gw.test/api/v1/uploads/${uploadId}`;
    this.options.onSuccess?.({ lastResponse: {} as HttpResponse });
  }
  /** The network went away: tus-js-client's error for a request without an answer. */
  loseNetwork(): void {
    const request = { getMethod: () => 'PATCH' } as HttpRequest;
    this.options.onError?.(Object.assign(new DetailedError('tus: failed'), { originalRequest: request }));
  }
}

/** tus-js-client's remembered uploads (by fingerprint) and every upload made, in order. */
export class FakeTusServer {
  readonly uploads: FakeTusUpload[] = [];
  readonly remembered = new Map<string, PreviousUpload>();
  readonly tus = {
    create: (file: File, options: TusOptions) => {
      const upload = new FakeTusUpload(file, options, this);
      this.uploads.push(upload);
      return upload;
    },
    storage: {
      findAllUploads: async () => [...this.remembered.values()],
      removeUpload: async () => undefined,
    },
  };

  /** Remembers an unfinished upload of this file, as tus-js-client does once the server made it. */
  remember(file: File, uploadId: string): PreviousUpload {
    const previous: PreviousUpload = {
      size: file.size,
      metadata: { filename: file.name },
      creationTime: '2030-01-01T00:00:00Z',
      urlStorageKey: `tus::${uploadId}`,
      uploadUrl: `http://gw.test/api/v1/uploads/${uploadId}`,
      parallelUploadUrls: null,
    };
    this.remembered.set(fingerprintOf(file, UPLOADS_ENDPOINT), previous);
    return previous;
  }

  /** The upload made last (the one on its way). */
  get last(): FakeTusUpload {
    const upload = this.uploads.at(-1);
    if (!upload) throw new Error('No upload was made');
    return upload;
  }
}

export const UPLOADS_ENDPOINT = 'http://gw.test/api/v1/uploads';

/** The gateway client's part the upload service uses: a finished upload's file is `<UPLOAD ID>`'s code. */
export function fakeUploadApi() {
  return {
    uploadsEndpoint: UPLOADS_ENDPOINT,
    accessToken: async () => null,
    fileByUpload: async (uploadId: string) => ({
      file: {
        id: `file-${uploadId}`,
        code: uploadId.toUpperCase(),
        name: uploadId,
        shareUrl: `http://gw.test/p/${uploadId.toUpperCase()}?t=tok`,
        expiresAt: '2030-01-02T00:00:00Z',
      } as unknown as FileView,
    }),
    uploadOffset: async (_url: string) => ({ offset: 0, length: 1 }),
  };
}

/** PendingUploads' storage in memory. */
export class MemoryPendingStorage implements PendingUploadStorage {
  readonly rows = new Map<string, { record: PendingUpload; bytes: Blob | null }>();
  async all() {
    return [...this.rows.values()].map((row) => row.record);
  }
  async put(record: PendingUpload, bytes: Blob | null) {
    this.rows.set(record.id, { record, bytes });
  }
  async bytes(id: string) {
    return this.rows.get(id)?.bytes ?? null;
  }
  async delete(id: string) {
    this.rows.delete(id);
  }
}

/** Lets promise callbacks and timers of zero delay run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
