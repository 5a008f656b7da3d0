import { InjectionToken, inject } from '@angular/core';
import type { UploadOptions } from '@lexy/client-state';
import { NATIVE_FILE_READER, rebuildFile, type NativeFileReader, type PickedFile } from './native-file';
import { indexedDbPendingStorage } from './pending-uploads-idb';

/**
 * An upload that was started and has not ended yet, kept across the app's end. Everything the
 * File's identity needs is here (name, type, size, lastModified make tus-js-client's
 * fingerprint), so that the rebuilt File resumes the same tus upload from the server's offset.
 */
export interface PendingUpload {
  id: string;
  name: string;
  size: number;
  type: string;
  lastModified: number;
  /** The upload's options without the PIN: a PIN is never written to the device's storage. */
  options: { downloadLimit: number | null };
  /** Whether a PIN was set: such an upload goes on by itself only where the server already has it (and its PIN). */
  hadPin: boolean;
  /** The picked file's path on the phone, or null when the bytes are kept beside the record (a browser). */
  nativePath: string | null;
  startedAt: number;
}

/** Where the records (and, without a native path, the bytes) are kept. */
export interface PendingUploadStorage {
  all(): Promise<PendingUpload[]>;
  put(record: PendingUpload, bytes: Blob | null): Promise<void>;
  bytes(id: string): Promise<Blob | null>;
  delete(id: string): Promise<void>;
}

/** The bytes of a pending upload are gone (a cleared cache, a file moved or changed since). */
export class PendingUploadLost extends Error {
  constructor(readonly record: PendingUpload) {
    super(`The bytes of ${record.name} can no longer be read`);
  }
}

/** The uploads under way, remembered so that the next start of the app can take them up again. */
export class PendingUploads {
  constructor(
    private readonly storage: PendingUploadStorage,
    private readonly readNative: NativeFileReader,
    private readonly newId: () => string = () => crypto.randomUUID(),
    private readonly now: () => number = Date.now,
  ) {}

  /** Oldest first, the order they were started in. */
  async list(): Promise<PendingUpload[]> {
    const records = await this.storage.all();
    return [...records].sort((a, b) => a.startedAt - b.startedAt);
  }

  async record(picked: PickedFile, options: UploadOptions): Promise<PendingUpload> {
    const { file, nativePath } = picked;
    const record: PendingUpload = {
      id: this.newId(),
      name: file.name,
      size: file.size,
      type: file.type,
      lastModified: file.lastModified,
      options: { downloadLimit: options.downloadLimit ?? null },
      hadPin: Boolean(options.pin),
      nativePath,
      startedAt: this.now(),
    };
    // A native path is enough on a phone; a browser has nothing but the bytes themselves.
    await this.storage.put(record, nativePath ? null : file);
    return record;
  }

  async remove(id: string): Promise<void> {
    await this.storage.delete(id);
  }

  /** The File again, the same as when it was picked, or PendingUploadLost. */
  async restore(record: PendingUpload): Promise<File> {
    let bytes: Blob | null;
    try {
      bytes = record.nativePath ? await this.readNative(record.nativePath) : await this.storage.bytes(record.id);
    } catch {
      bytes = null;
    }
    // Other bytes than those started would be a different file under the same fingerprint.
    if (!bytes || bytes.size !== record.size) throw new PendingUploadLost(record);
    return rebuildFile(bytes, record.name, record.type, record.lastModified);
  }
}

export const PENDING_UPLOADS = new InjectionToken<PendingUploads>('PENDING_UPLOADS', {
  providedIn: 'root',
  factory: () => new PendingUploads(indexedDbPendingStorage(), inject(NATIVE_FILE_READER)),
});
