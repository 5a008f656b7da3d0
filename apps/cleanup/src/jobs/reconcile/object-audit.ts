import { filesV1 } from '@lexy/contracts-grpc';
import type { Logger } from '@lexy/server-logging';
import type { ListedObject } from '@lexy/server-storage';
import type { CleanupStorage, FileLifecycle } from '../../dependencies.js';
import { FILE_OBJECTS_PREFIX } from '../ids.js';
import { eachLimited, type JobRun } from '../job-run.js';
import { compareKeys, mergeByKey } from './merge-by-key.js';

/** What the audit makes of one key. */
export type Verdict =
  | { kind: 'ok' }
  /** An object nothing refers to, older than the grace: delete it. */
  | { kind: 'orphan' }
  /** File rows whose object seems absent or of another size: confirm, then mark them missing. */
  | { kind: 'suspect'; files: filesV1.ObjectRef[] };

/**
 * The decision for one key, from what storage and the files service hold under it. Objects
 * younger than `orphanBeforeMs` are never orphans: their upload may be just being recorded.
 * Purging files and upload sessions may lack their object (being deleted, not yet written).
 */
export function judgeKey(objects: ListedObject[], refs: filesV1.ObjectRef[], orphanBeforeMs: number): Verdict {
  const [object] = objects;
  if (refs.length === 0) {
    return object && object.lastModified.getTime() < orphanBeforeMs ? { kind: 'orphan' } : { kind: 'ok' };
  }
  const files = refs.filter(
    (ref) => ref.kind === filesV1.ObjectRefKind.OBJECT_REF_KIND_FILE && object?.sizeBytes !== ref.sizeBytes,
  );
  return files.length > 0 ? { kind: 'suspect', files } : { kind: 'ok' };
}

export interface ObjectAuditSettings {
  batchSize: number;
  orphanGraceSeconds: number;
}

/** Parallel stat calls when confirming suspects. */
const STAT_CONCURRENCY = 8;

/**
 * Compares the objects under `files/` with the keys the files service holds, in one merge in
 * key order of the storage listing and the service's pages: neither is ever held whole. It
 * deletes objects nothing refers to (past the grace) and marks files whose object is missing
 * or has another size, in batches.
 */
export class ObjectAudit {
  constructor(
    private readonly files: Pick<FileLifecycle, 'listObjectRefs' | 'markObjectsMissing'>,
    private readonly storage: Pick<CleanupStorage, 'listObjects' | 'removeMany' | 'stat'>,
    private readonly settings: ObjectAuditSettings,
    private readonly log: Logger,
  ) {}

  async run(run: JobRun, nowMs: number): Promise<void> {
    const { batchSize, orphanGraceSeconds } = this.settings;
    const orphanBeforeMs = nowMs - orphanGraceSeconds * 1000;
    const orphans: ListedObject[] = [];
    const suspects: filesV1.ObjectRef[] = [];
    const matches = mergeByKey(
      this.storage.listObjects(FILE_OBJECTS_PREFIX),
      this.refsUnder(FILE_OBJECTS_PREFIX),
      (object) => object.key,
      (ref) => ref.objectKey,
    );
    for await (const { left: objects, right: refs } of matches) {
      const verdict = judgeKey(objects, refs, orphanBeforeMs);
      if (verdict.kind === 'orphan') orphans.push(...objects);
      if (verdict.kind === 'suspect') suspects.push(...verdict.files);
      if (orphans.length >= batchSize) await this.deleteOrphans(run, orphans.splice(0));
      if (suspects.length >= batchSize) await this.markMissing(run, suspects.splice(0));
      if (run.signal.aborted) break;
    }
    if (orphans.length > 0) await this.deleteOrphans(run, orphans);
    if (suspects.length > 0) await this.markMissing(run, suspects);
  }

  /** The service's refs under `prefix`, page by page, in key order. */
  private async *refsUnder(prefix: string): AsyncGenerator<filesV1.ObjectRef> {
    const limit = this.settings.batchSize;
    for (let afterKey = ''; ;) {
      const { refs } = await this.files.listObjectRefs({ afterKey, limit });
      for (const ref of refs) {
        if (ref.objectKey.startsWith(prefix)) yield ref;
        // Keys past the prefix all sort after it: nothing under it follows.
        else if (compareKeys(ref.objectKey, prefix) > 0) return;
      }
      const last = refs.at(-1)?.objectKey;
      if (refs.length < limit || last === undefined) return;
      if (compareKeys(last, afterKey) <= 0) throw new Error(`ListObjectRefs did not move past ${afterKey}`);
      afterKey = last;
    }
  }

  private async deleteOrphans(run: JobRun, orphans: ListedObject[]): Promise<void> {
    await this.storage.removeMany(orphans.map((object) => object.key));
    run.count('orphans_deleted', orphans.length);
    run.count('orphan_bytes_deleted', sum(orphans.map((object) => object.sizeBytes)));
    this.log.info(
      { keys: orphans.map((object) => object.key) },
      `deleted ${orphans.length} object(s) no file or upload refers to`,
    );
  }

  /**
   * Confirms each suspect with a fresh stat before marking it: the listing was read before
   * the rows, so a file committed in between would otherwise look as if its object were gone.
   */
  private async markMissing(run: JobRun, suspects: filesV1.ObjectRef[]): Promise<void> {
    const confirmed: { ref: filesV1.ObjectRef; storedBytes: number | null }[] = [];
    await eachLimited(suspects, STAT_CONCURRENCY, async (ref) => {
      const stored = await this.storage.stat(ref.objectKey);
      if (stored?.sizeBytes !== ref.sizeBytes) confirmed.push({ ref, storedBytes: stored?.sizeBytes ?? null });
    });
    if (confirmed.length === 0) return;
    const { marked } = await this.files.markObjectsMissing({ fileIds: [...new Set(confirmed.map((c) => c.ref.id))] });
    run.count('missing_marked', marked);
    for (const { ref, storedBytes } of confirmed) {
      this.log.warn(
        { fileId: ref.id, objectKey: ref.objectKey, expectedBytes: ref.sizeBytes, storedBytes },
        storedBytes === null ? 'file object is missing' : 'file object has the wrong size',
      );
    }
  }
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
