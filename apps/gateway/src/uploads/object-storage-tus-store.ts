import { choosePartSize, MIN_PART_SIZE_BYTES, PartReader, type ObjectStorage } from '@lexy/server-storage';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import { Readable } from 'node:stream';
import { currentChunkChecksum } from './chunk-checksum.js';
import type { UploadDigests } from './upload-digests.js';
import type { UploadState, UploadStateStore } from './upload-state.js';

export interface TusStoreOptions {
  partSizeBytes: number;
  /** How long an upload may take from its creation (tus expiration extension). */
  expirationMs: number;
  /** Hears a PATCH body starting; the returned function hears it end (the active-uploads metric). */
  bodyStarted?: () => () => void;
  /** Hears the length of each chunk of a PATCH body as it arrives (the upload-bytes metric). */
  onBytes?: (bytes: number) => void;
}

/** Gives an upload up for good: its stored bytes, its record and its reservation. */
export type AbandonUpload = (state: UploadState) => Promise<void>;

/** Where the bytes after the last whole part wait for the next PATCH; never a file's key. */
export function tailKeyOf(uploadId: string, offset: number): string {
  return `uploads/${uploadId}/tail-${offset}`;
}

/**
 * The tus data store of the gateway: each upload is one S3 multipart upload of the object
 * key the files service chose, written straight from the request in parts held in memory
 * (no bytes on the gateway's disk). Its state is a Redis record (UploadStateStore), so any
 * replica continues an upload another began.
 *
 * A PATCH is all or nothing for its record: parts it uploads are listed in the record only
 * when the PATCH ends well, so a failed one (a checksum mismatch, a storage error) leaves
 * the offset where it was, and the next PATCH uploads the same part numbers again, which
 * replaces them. When a client drops the connection the tus server ends the body cleanly,
 * so the bytes that did arrive are kept. Bytes past the last whole part that cannot form a
 * part yet (S3 needs 5 MiB but for the last) go to a small tail object and are put in front
 * of the next PATCH's body.
 */
export class ObjectStorageTusStore extends DataStore {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly states: UploadStateStore,
    private readonly digests: UploadDigests,
    private readonly abandon: AbandonUpload,
    private readonly options: TusStoreOptions,
  ) {
    super();
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  override getExpiration(): number {
    return this.options.expirationMs;
  }

  /** The record was made when the upload was named (TusUploadService.begin); this opens its multipart upload. */
  override async create(upload: Upload): Promise<Upload> {
    const state = await this.require(upload.id);
    if (state.size > 0 && !state.multipartId) {
      state.multipartId = await this.storage.startMultipart(state.objectKey, state.mimeType);
      await this.states.save(state);
    }
    upload.creation_date = state.createdAt;
    upload.metadata = state.metadata;
    return upload;
  }

  override async getUpload(id: string): Promise<Upload> {
    const state = await this.require(id);
    return new Upload({
      id,
      size: state.size,
      offset: state.offset,
      metadata: state.metadata,
      creation_date: state.createdAt,
    });
  }

  override async write(source: Readable, id: string, offset: number): Promise<number> {
    const state = await this.require(id);
    if (state.offset !== offset) throw ERRORS.INVALID_OFFSET;
    if (state.offset === state.size) return state.offset;
    const multipartId = state.multipartId;
    if (!multipartId) throw new Error(`upload ${id} has no multipart upload`);

    const checksum = currentChunkChecksum();
    const hash = this.digests.resume(id, offset);
    const tail = await this.readTail(state);
    const onBytes = this.options.onBytes;
    const body = Readable.from(
      withPrefix(tail, source, (chunk) => {
        hash?.update(chunk);
        checksum?.update(chunk);
        onBytes?.(chunk.length);
      }),
    );
    const receiving = this.options.bodyStarted?.();
    // Two part buffers: the next part is read from the body while the last one uploads.
    const reader = new PartReader(body, choosePartSize(this.options.partSizeBytes, state.size), undefined, 2);
    const parts = [...state.parts];
    let stored = state.offset - state.tailBytes;
    let newTailKey: string | null = null;
    let sawEnd = false;
    try {
      for (let data = await reader.next(); data;) {
        const last = reader.done;
        if (last) {
          sawEnd = true;
          checksum?.verify();
        }
        if (last && stored + data.length < state.size && data.length < MIN_PART_SIZE_BYTES) {
          newTailKey = tailKeyOf(id, stored + data.length);
          await this.storage.putStream(newTailKey, Readable.from([Buffer.from(data)]), { sizeBytes: data.length });
          stored += data.length;
          break;
        }
        const part = parts.length + 1;
        const [etag, next] = await Promise.all([
          this.storage.uploadPart(state.objectKey, multipartId, part, data),
          last ? null : reader.next(),
        ]);
        parts.push({ part, etag, size: data.length });
        stored += data.length;
        data = next;
      }
      if (!sawEnd) checksum?.verify(); // an empty body still has to match its checksum
    } catch (error) {
      if (newTailKey) await this.storage.remove(newTailKey).catch(() => undefined);
      throw error;
    } finally {
      receiving?.();
      await reader.close();
    }

    if (stored === state.size) {
      await this.storage.completeMultipart(
        state.objectKey,
        multipartId,
        parts.map(({ part, etag }) => ({ part, etag })),
      );
    }
    const oldTailKey = state.tailKey;
    const newTailBytes = newTailKey ? stored - parts.reduce((sum, part) => sum + part.size, 0) : 0;
    Object.assign(state, { parts, offset: stored, tailKey: newTailKey, tailBytes: newTailBytes });
    await this.states.save(state);
    this.digests.advance(id, stored, hash);
    // The old tail is in the new parts or the new tail now; a leftover is only litter.
    if (oldTailKey && oldTailKey !== newTailKey) await this.storage.remove(oldTailKey).catch(() => undefined);
    return stored;
  }

  /** Termination (DELETE): the upload, its bytes and its reservation are given up. */
  override async remove(id: string): Promise<void> {
    await this.abandon(await this.require(id));
  }

  private async require(id: string): Promise<UploadState> {
    const state = await this.states.get(id);
    if (!state) throw ERRORS.FILE_NOT_FOUND;
    return state;
  }

  private async readTail(state: UploadState): Promise<Buffer | null> {
    if (!state.tailKey) return null;
    const tail = await this.storage.readSmall(state.tailKey, MIN_PART_SIZE_BYTES);
    if (!tail || tail.length !== state.tailBytes) {
      throw new Error(`upload ${state.id}: its tail object ${state.tailKey} is missing or has the wrong size`);
    }
    return tail;
  }
}

/** The tail (bytes already stored, so not observed again) followed by the new body. */
async function* withPrefix(
  prefix: Buffer | null,
  source: Readable,
  observe: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  if (prefix && prefix.length > 0) yield prefix;
  for await (const chunk of source) {
    const bytes = chunk as Buffer;
    observe(bytes);
    yield bytes;
  }
}
