/**
 * The cleanup worker's queue, shared by its producers: the files service queues owner
 * deletions on it, the worker's repeatable jobs tick on it. Names only; no BullMQ here.
 */
export const CLEANUP_QUEUE = 'cleanup';

/**
 * The repeatable jobs, one tick per cluster per interval: `expire`, `purge`, `abandon` and
 * `reconcile` work on files and storage, `expire-offers` on the relay's transfer offers.
 */
export const CLEANUP_TICKS = ['expire', 'purge', 'abandon', 'reconcile', 'expire-offers'] as const;
export type CleanupTick = (typeof CLEANUP_TICKS)[number];

/** Purges files their owners deleted (their rows already say so; the job only does the work sooner). */
export const PURGE_FILES_JOB = 'purge-files';
export interface PurgeFilesJobData {
  fileIds: string[];
}

/** One job per deleted file: a repeated request queues nothing new (BullMQ ids may not hold ':'). */
export function purgeFileJobId(fileId: string): string {
  return `purge-${fileId}`;
}
