import { Injectable, inject, signal } from '@angular/core';
import { ApiError, ProgressMeter, type FileView } from '@lexy/client-api';
import { DetailedError, Upload, type HttpResponse } from 'tus-js-client';
import { API_CLIENT } from './api';
import { describeErrorLocalized } from './error-texts';

export type UploadPhase = 'idle' | 'uploading' | 'paused' | 'finishing' | 'done' | 'failed';

export interface UploadOptions {
  pin?: string;
  downloadLimit?: number | null;
}

export interface UploadState {
  phase: UploadPhase;
  fileName: string;
  percent: number;
  bytesPerSecond: number | null;
  secondsLeft: number | null;
  file: FileView | null;
  error: string | null;
}

const IDLE: UploadState = {
  phase: 'idle',
  fileName: '',
  percent: 0,
  bytesPerSecond: null,
  secondsLeft: null,
  file: null,
  error: null,
};
/** Large chunks keep throughput up (toolchain.md: 5 MB chunks halve it). */
const CHUNK_SIZE = 16 * 1024 * 1024;

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
  const headers = new Headers();
  const retryAfter = response.getHeader('Retry-After');
  if (retryAfter) headers.set('Retry-After', retryAfter);
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
 * One resumable upload at a time over tus. tus-js-client remembers each upload's URL under the
 * file's fingerprint in localStorage, so choosing the same file again after a reload resumes it.
 */
@Injectable({ providedIn: 'root' })
export class UploadService {
  private readonly api = inject(API_CLIENT);
  private readonly meter = new ProgressMeter();
  private upload: Upload | null = null;
  readonly state = signal<UploadState>(IDLE);

  async start(file: File, options: UploadOptions = {}): Promise<void> {
    this.upload?.abort();
    this.meter.reset();
    this.state.set({ ...IDLE, phase: 'uploading', fileName: file.name });
    const metadata: Record<string, string> = { filename: file.name, filetype: file.type || 'application/octet-stream' };
    if (options.pin) metadata['pin'] = options.pin;
    if (options.downloadLimit) metadata['downloadLimit'] = String(options.downloadLimit);
    const upload = new Upload(file, {
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
      onProgress: (done, total) => {
        const reading = this.meter.record(done, total, performance.now());
        this.state.update((state) => ({ ...state, ...reading }));
      },
      onSuccess: () => void this.finish(upload),
      onError: (error) => this.fail(toApiError(error)),
    });
    this.upload = upload;
    const previous = await upload.findPreviousUploads();
    if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
    upload.start();
  }

  pause(): void {
    if (this.state().phase !== 'uploading' || !this.upload) return;
    void this.upload.abort();
    this.meter.reset();
    this.state.update((state) => ({ ...state, phase: 'paused', bytesPerSecond: null, secondsLeft: null }));
  }

  resume(): void {
    if (this.state().phase !== 'paused' || !this.upload) return;
    this.state.update((state) => ({ ...state, phase: 'uploading' }));
    this.upload.start();
  }

  reset(): void {
    void this.upload?.abort();
    this.upload = null;
    this.state.set(IDLE);
  }

  private async finish(upload: Upload): Promise<void> {
    this.state.update((state) => ({ ...state, phase: 'finishing', percent: 100, secondsLeft: 0 }));
    const uploadId = upload.url?.split('/').pop() ?? '';
    try {
      const { file } = await this.api.fileByUpload(uploadId);
      this.state.update((state) => ({ ...state, phase: 'done', file }));
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.state.update((state) => ({ ...state, phase: 'failed', error: describeErrorLocalized(error) }));
  }
}
