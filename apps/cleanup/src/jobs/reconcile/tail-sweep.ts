import type { Logger } from '@lexy/server-logging';
import type { CleanupStorage, FileLifecycle } from '../../dependencies.js';
import { UPLOAD_TAILS_PREFIX, uploadIdOfTail } from '../ids.js';
import type { JobRun } from '../job-run.js';

export interface TailSweepSettings {
  batchSize: number;
  orphanGraceSeconds: number;
}

/**
 * Deletes tus tails (`uploads/<uploadId>/tail-<offset>`) older than the grace whose upload
 * session is gone. Tails of live sessions stay, whatever their age; objects under `uploads/`
 * outside that layout belong to no session and go once old. The listing is streamed; the
 * sessions are looked up a batch of upload ids at a time.
 */
export class TailSweep {
  constructor(
    private readonly files: Pick<FileLifecycle, 'findUploads'>,
    private readonly storage: Pick<CleanupStorage, 'listObjects' | 'removeMany'>,
    private readonly settings: TailSweepSettings,
    private readonly log: Logger,
  ) {}

  async run(run: JobRun, nowMs: number): Promise<void> {
    const { batchSize, orphanGraceSeconds } = this.settings;
    const oldBeforeMs = nowMs - orphanGraceSeconds * 1000;
    /** Old tails by upload id, waiting for one findUploads call. */
    const pending = new Map<string, string[]>();
    const doomed: string[] = [];

    for await (const object of this.storage.listObjects(UPLOAD_TAILS_PREFIX)) {
      if (object.lastModified.getTime() >= oldBeforeMs) continue;
      const uploadId = uploadIdOfTail(object.key);
      if (uploadId === null) {
        doomed.push(object.key);
      } else {
        if (!pending.has(uploadId) && pending.size >= batchSize) doomed.push(...(await this.ofVanished(pending)));
        pending.set(uploadId, [...(pending.get(uploadId) ?? []), object.key]);
      }
      if (doomed.length >= batchSize) await this.delete(run, doomed.splice(0));
      if (run.signal.aborted) break;
    }
    if (pending.size > 0) doomed.push(...(await this.ofVanished(pending)));
    if (doomed.length > 0) await this.delete(run, doomed);
  }

  /** The tails in `pending` whose session is gone; empties `pending`. */
  private async ofVanished(pending: Map<string, string[]>): Promise<string[]> {
    const { uploadIds } = await this.files.findUploads({ uploadIds: [...pending.keys()] });
    const live = new Set(uploadIds);
    const vanished = [...pending].filter(([uploadId]) => !live.has(uploadId)).flatMap(([, keys]) => keys);
    pending.clear();
    return vanished;
  }

  private async delete(run: JobRun, keys: string[]): Promise<void> {
    await this.storage.removeMany(keys);
    run.count('tails_deleted', keys.length);
    this.log.info({ keys }, `deleted ${keys.length} upload tail(s) of sessions that are gone`);
  }
}
