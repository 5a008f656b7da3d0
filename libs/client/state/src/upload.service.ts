import { InjectionToken, Injectable, inject, signal } from '@angular/core';
import { ApiError, ProgressMeter } from '@lexy/client-api';
import {
  DetailedError,
  Upload,
  defaultOptions,
  type HttpResponse,
  type PreviousUpload,
  type UploadOptions as TusOptions,
} from 'tus-js-client';
import { API_CLIENT } from './api';
import { describeErrorLocalized } from './error-texts';
import { pinlessUrlStorage } from './pinless-url-storage';
import {
  EMPTY_SEND_STATE,
  isBusy,
  newItem,
  nextToStart,
  percentOf,
  type RememberedUpload,
  type SendState,
  type UploadItem,
  type UploadOptions,
} from './upload-queue';

export type { UploadItem, UploadOptions, UploadPhase, RememberedUpload, SendState } from './upload-queue';

/** The part of tus-js-client's Upload that the service uses, so that unit tests can stand in for it. */
export interface TusUpload {
  url: string | null;
  start(): void;
  /** With shouldTerminate the server drops the upload and the remembered URL is forgotten. */
  abort(shouldTerminate?: boolean): Promise<void>;
  findPreviousUploads(): Promise<PreviousUpload[]>;
  resumeFromPreviousUpload(previous: PreviousUpload): void;
}

/** How the service makes a tus upload and where tus-js-client remembers unfinished ones. */
export const TUS = new InjectionToken<{
  create(file: File, options: TusOptions): TusUpload;
  storage: Pick<NonNullable<TusOptions['urlStorage']>, 'findAllUploads' | 'removeUpload'>;
}>('TUS', {
  providedIn: 'root',
  factory: () => {
    const storage = pinlessUrlStorage(defaultOptions.urlStorage);
    return { create: (file, options) => new Upload(file, { ...options, urlStorage: storage }), storage };
  },
});

/** Large chunks keep throughput up (toolchain.md: 5 MB chunks halve it). */
const CHUNK_SIZE = 16 * 1024 * 1024;

/** Statuses a later try may get past: a timeout, an offset conflict, a lock, a rate limit. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 409, 423, 429]);

/**
 * Whether the upload could go on later from where it stopped: the request never got an answer
 * (offline, a dropped connection) or the server was momentarily unable. tus-js-client has used up
 * its own retries by then (and makes none while the device says it is offline).
 */
function isRetryable(error: Error): boolean {
  if (!(error instanceof DetailedError) || !error.originalRequest) return false;
  const status = error.originalResponse?.getStatus() ?? 0;
  return status === 0 || status >= 500 || RETRYABLE_STATUSES.has(status);
}

/** tus errors carry the gateway's envelope in their response body. */
function toApiError(error: Error): ApiError | Error {
  if (!(error instanceof DetailedError) || !error.originalResponse) return error;
  const response: HttpResponse = error.originalResponse;
  let body: unknown;
  try {
    body = JSON.parse(response.getBody() ?? '');
  } catch {
    body = undefined;
  }
  const retryAfter = response.getHeader('Retry-After');
  const envelope = body as { error?: { code: string; message: string; details?: Record<string, unknown> } } | undefined;
  if (!envelope?.error) return error;
  const details = envelope.error.details ?? {};
  const seconds = typeof details['retryAfterSeconds'] === 'number' ? (details['retryAfterSeconds'] as number) : null;
  return new ApiError(
    response.getStatus(),
    envelope.error.code as ApiError['code'],
    envelope.error.message,
    details,
    seconds ?? (retryAfter ? Number(retryAfter) : null),
  );
}

/**
 * The Send page's uploads: every chosen or dropped file is its own tus upload with its own
 * pickup code, uploaded one after another. tus-js-client remembers each unfinished upload's URL
 * under the file's fingerprint in localStorage; the service lists those after a reload, and
 * choosing the same file again resumes it from the server's offset.
 */
@Injectable({ providedIn: 'root' })
export class UploadService {
  private readonly api = inject(API_CLIENT);
  private readonly tus = inject(TUS);
  private readonly meter = new ProgressMeter();
  /** The bytes of each item not through yet (and of those a retry may take up again), with its tus upload once made. */
  private readonly files = new Map<number, { file: File; options: UploadOptions; tus?: TusUpload }>();
  private upload: { id: number; tus: TusUpload } | null = null;
  /** Remembered uploads taken up again on this visit, in case the list arrives after that. */
  private readonly resumedKeys = new Set<string>();
  private nextId = 1;
  readonly state = signal<SendState>(EMPTY_SEND_STATE);

  constructor() {
    void this.loadRemembered();
  }

  /**
   * Queues the files (each with the same options) and starts the first if nothing is under way.
   * Returns the new items' ids, in the files' order.
   */
  add(files: readonly File[], options: UploadOptions = {}): number[] {
    if (files.length === 0) return [];
    const items = files.map((file) => {
      const id = this.nextId++;
      this.files.set(id, { file, options });
      return newItem(id, file.name);
    });
    // Failed files of an earlier choice make way for the new one once nothing is under way;
    // those the network interrupted stay, since retry() can still take them up.
    const refused = (item: UploadItem) => item.phase === 'failed' && !item.retryable;
    this.state.update((s) => ({
      ...s,
      items: [...(isBusy(s.items) ? s.items : s.items.filter((item) => !refused(item))), ...items],
    }));
    this.startNext();
    return items.map((item) => item.id);
  }

  /**
   * Takes an upload the network interrupted up again: it is queued as it was and, once its turn
   * comes, resumes from the server's offset (tus finds it by the file's fingerprint). Returns
   * whether there was such an upload.
   */
  retry(id: number): boolean {
    const item = this.item(id);
    if (item?.phase !== 'failed' || !item.retryable || !this.files.has(id)) return false;
    this.patch(id, { phase: 'queued', error: null, retryable: false, bytesPerSecond: null, secondsLeft: null });
    this.startNext();
    return true;
  }

  /** Retries every upload the network interrupted (the app is back in front, or online again). */
  retryInterrupted(): number {
    return this.state()
      .items.filter((item) => item.phase === 'failed' && item.retryable)
      .filter((item) => this.retry(item.id)).length;
  }

  /**
   * Gives one file up, whatever its phase short of done: the server drops what it had of it and
   * the remembered URL is forgotten, so it is not offered for resuming either. The queue goes on.
   */
  cancel(id: number): void {
    const item = this.item(id);
    if (!item || item.phase === 'done') return;
    const entry = this.files.get(id);
    // Termination is best effort: an upload the server never hears of again expires by itself.
    void entry?.tus?.abort(true).catch(() => undefined);
    this.files.delete(id);
    if (this.upload?.id === id) {
      this.upload = null;
      this.meter.reset();
    }
    this.state.update((s) => ({
      ...s,
      items: s.items.filter((other) => other.id !== id),
      selectedId: s.selectedId === id ? null : s.selectedId,
    }));
    this.startNext();
  }

  pause(): void {
    const current = this.upload;
    if (!current || this.item(current.id)?.phase !== 'uploading') return;
    void current.tus.abort();
    this.meter.reset();
    this.patch(current.id, { phase: 'paused', bytesPerSecond: null, secondsLeft: null });
  }

  resume(): void {
    const current = this.upload;
    if (!current || this.item(current.id)?.phase !== 'paused') return;
    this.patch(current.id, { phase: 'uploading' });
    current.tus.start();
  }

  /** Shows this finished file's QR code. */
  select(id: number): void {
    this.state.update((s) => ({ ...s, selectedId: id }));
  }

  /** Stops what is under way and forgets every item (the remembered uploads stay). */
  reset(): void {
    void this.upload?.tus.abort();
    this.upload = null;
    this.files.clear();
    this.meter.reset();
    this.state.update((s) => ({ ...s, items: [], selectedId: null }));
  }

  /** Reads tus-js-client's remembered uploads and asks the server how far each has come. */
  async loadRemembered(): Promise<void> {
    let previous: PreviousUpload[];
    try {
      previous = await this.tus.storage.findAllUploads();
    } catch {
      return;
    }
    const remembered = previous
      .filter((upload) => upload.uploadUrl && !this.resumedKeys.has(upload.urlStorageKey))
      .map((upload) => ({ key: upload.urlStorageKey, fileName: upload.metadata['filename'] ?? '', percent: null }));
    this.state.update((s) => ({ ...s, remembered }));
    await Promise.all(remembered.map((r) => this.askOffset(previous.find((p) => p.urlStorageKey === r.key)!)));
  }

  private async askOffset(upload: PreviousUpload): Promise<void> {
    try {
      const { offset, length } = await this.api.uploadOffset(upload.uploadUrl ?? '');
      this.updateRemembered(upload.urlStorageKey, (r) => ({ ...r, percent: percentOf(offset, length) }));
    } catch (error) {
      // Expired or given up: nothing left to resume, so stop mentioning it.
      if (error instanceof ApiError && (error.status === 404 || error.status === 410)) {
        await this.tus.storage.removeUpload(upload.urlStorageKey);
        this.forgetRemembered(upload.urlStorageKey);
      }
    }
  }

  private startNext(): void {
    const next = nextToStart(this.state().items);
    if (!next) return;
    const entry = this.files.get(next.id);
    if (!entry) return;
    void this.begin(next.id, entry.file, entry.options);
  }

  private async begin(id: number, file: File, options: UploadOptions): Promise<void> {
    this.meter.reset();
    this.patch(id, { phase: 'uploading' });
    const metadata: Record<string, string> = { filename: file.name, filetype: file.type || 'application/octet-stream' };
    if (options.pin) metadata['pin'] = options.pin;
    if (options.downloadLimit) metadata['downloadLimit'] = String(options.downloadLimit);
    let resuming = false;
    const upload = this.tus.create(file, {
      endpoint: this.api.uploadsEndpoint,
      chunkSize: CHUNK_SIZE,
      retryDelays: [0, 1_000, 3_000, 5_000],
      metadata,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onBeforeRequest: async (request) => {
        const token = await this.api.accessToken();
        if (token) request.setHeader('Authorization', `Bearer ${token}`);
      },
      onAfterResponse: (request, response) => {
        // The server's answer to "how far?" when resuming: from there the upload goes on.
        if (!resuming || request.getMethod() !== 'HEAD' || response.getStatus() !== 200) return;
        resuming = false;
        const offset = Number(response.getHeader('Upload-Offset') ?? 0);
        const percent = percentOf(offset, file.size);
        this.patch(id, { resumedAtPercent: percent, percent });
      },
      onProgress: (done, total) => {
        if (this.item(id)?.phase !== 'uploading') return;
        this.patch(id, this.meter.record(done, total, performance.now()));
      },
      onSuccess: () => void this.finish(id, upload),
      onError: (error) => this.fail(id, toApiError(error), isRetryable(error)),
    });
    this.upload = { id, tus: upload };
    const entry = this.files.get(id);
    if (entry) entry.tus = upload;
    const [previous] = await upload.findPreviousUploads();
    if (previous) {
      resuming = true;
      upload.resumeFromPreviousUpload(previous);
      this.resumedKeys.add(previous.urlStorageKey);
      this.forgetRemembered(previous.urlStorageKey);
    }
    // Paused or reset while the storage was read: leave the rest to resume() or to nobody.
    if (this.upload?.tus !== upload || this.item(id)?.phase !== 'uploading') return;
    upload.start();
  }

  private async finish(id: number, upload: TusUpload): Promise<void> {
    this.patch(id, { phase: 'finishing', percent: 100, secondsLeft: 0 });
    const uploadId = upload.url?.split('/').pop() ?? '';
    try {
      const { file } = await this.api.fileByUpload(uploadId);
      if (!this.item(id)) return;
      this.patch(id, { phase: 'done', file });
      this.state.update((s) => ({ ...s, selectedId: s.selectedId ?? id }));
    } catch (error) {
      this.fail(id, error);
      return;
    }
    this.done(id);
  }

  private fail(id: number, error: unknown, retryable = false): void {
    if (!this.item(id)) return;
    this.patch(id, {
      phase: 'failed',
      error: describeErrorLocalized(error),
      retryable,
      bytesPerSecond: null,
      secondsLeft: null,
    });
    this.done(id, retryable);
  }

  /** One file is through (either way): on to the next. A retryable one keeps its bytes for retry(). */
  private done(id: number, keepFile = false): void {
    if (!keepFile) this.files.delete(id);
    if (this.upload?.id === id) this.upload = null;
    this.startNext();
  }

  private item(id: number): UploadItem | undefined {
    return this.state().items.find((item) => item.id === id);
  }

  private patch(id: number, changes: Partial<UploadItem>): void {
    this.state.update((s) => ({
      ...s,
      items: s.items.map((item) => (item.id === id ? { ...item, ...changes } : item)),
    }));
  }

  private updateRemembered(key: string, change: (r: RememberedUpload) => RememberedUpload): void {
    this.state.update((s) => ({ ...s, remembered: s.remembered.map((r) => (r.key === key ? change(r) : r)) }));
  }

  private forgetRemembered(key: string): void {
    this.state.update((s) => ({ ...s, remembered: s.remembered.filter((r) => r.key !== key) }));
  }
}
