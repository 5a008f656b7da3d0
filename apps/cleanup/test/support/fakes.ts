import type { ListedObject, ObjectInfo, StaleUpload } from '@lexy/server-storage';
import type { CleanupStorage } from '../../src/dependencies.js';
import type { JobRun } from '../../src/jobs/job-run.js';
import { compareKeys } from '../../src/jobs/reconcile/merge-by-key.js';

/** A JobRun that keeps its counts, and can be stopped. */
export function testRun(): JobRun & { counts: Record<string, number>; stop(): void } {
  const controller = new AbortController();
  const counts: Record<string, number> = {};
  return {
    signal: controller.signal,
    counts,
    count: (action, amount) => {
      if (amount !== 0) counts[action] = (counts[action] ?? 0) + amount;
    },
    stop: () => controller.abort(),
  };
}

/** Calls in the order they happened, across every fake that shares it. */
export type CallLog = string[];

const HOUR_MS = 3_600_000;

/** Object storage in memory, listing in key order like S3; every call is logged. */
export class MemoryStorage implements CleanupStorage {
  readonly objects = new Map<string, { sizeBytes: number; lastModified: Date }>();
  /** Incomplete multipart uploads by key. */
  readonly multipart = new Map<string, number>();
  /** Incomplete multipart uploads with their ids and start times (for listStaleUploads). */
  readonly begun: { key: string; uploadId: string; initiated: Date }[] = [];
  /** A method that fails from now on. */
  failing: keyof CleanupStorage | undefined;

  constructor(readonly calls: CallLog = []) {}

  /** Stores an object `ageHours` old. */
  put(key: string, sizeBytes = 1, ageHours = 48): this {
    this.objects.set(key, { sizeBytes, lastModified: new Date(Date.now() - ageHours * HOUR_MS) });
    return this;
  }

  keys(): string[] {
    return [...this.objects.keys()].sort(compareKeys);
  }

  async *listObjects(prefix = ''): AsyncGenerator<ListedObject> {
    this.enter('listObjects', prefix);
    for (const key of this.keys()) {
      const object = this.objects.get(key);
      if (key.startsWith(prefix) && object) yield { key, ...object };
    }
  }

  async removeMany(keys: readonly string[]): Promise<void> {
    this.enter('removeMany', keys.join(','));
    for (const key of keys) this.objects.delete(key);
  }

  async abortUploadsOf(key: string): Promise<number> {
    this.enter('abortUploadsOf', key);
    const aborted = this.multipart.get(key) ?? 0;
    this.multipart.delete(key);
    return aborted;
  }

  async listStaleUploads(prefix: string, initiatedBefore: Date, limit = 1000): Promise<StaleUpload[]> {
    this.enter('listStaleUploads', prefix);
    return this.begun
      .filter((upload) => upload.key.startsWith(prefix) && upload.initiated < initiatedBefore)
      .slice(0, limit)
      .map(({ key, uploadId }) => ({ key, uploadId }));
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    this.enter('abortMultipart', `${key}:${uploadId}`);
    const index = this.begun.findIndex((upload) => upload.key === key && upload.uploadId === uploadId);
    if (index >= 0) this.begun.splice(index, 1);
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    this.enter('stat', key);
    const object = this.objects.get(key);
    return object ? { sizeBytes: object.sizeBytes, contentType: 'application/octet-stream', etag: 'e' } : null;
  }

  private enter(method: keyof CleanupStorage, argument: string): void {
    this.calls.push(`storage.${method}(${argument})`);
    if (this.failing === method) throw new Error(`storage ${method} failed`);
  }
}

/**
 * A gRPC client fake: each method logs `<name>.<method>` with its request and answers from
 * `answers` (a function of the request). Methods not given fail the test.
 */
export function fakeClient<T extends object>(
  name: string,
  calls: CallLog,
  answers: { [K in keyof T]?: T[K] },
): T & { requests: Record<string, unknown[]> } {
  const requests: Record<string, unknown[]> = {};
  return new Proxy(answers as T & { requests: Record<string, unknown[]> }, {
    get(target, property) {
      if (property === 'requests') return requests;
      const answer = Reflect.get(target, property) as ((request: unknown) => unknown) | undefined;
      if (typeof property !== 'string' || property === 'then') return undefined;
      return async (request: unknown) => {
        calls.push(`${name}.${property}`);
        (requests[property] ??= []).push(request);
        if (!answer) throw new Error(`unexpected call ${name}.${property}`);
        return answer(request);
      };
    },
  });
}
