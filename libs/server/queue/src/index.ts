export { createQueue, createRedisConnection, createWorker, DEFAULT_JOB_OPTIONS } from './queue-factory.js';
export {
  CLEANUP_QUEUE,
  CLEANUP_TICKS,
  PURGE_FILES_JOB,
  purgeFileJobId,
  type CleanupTick,
  type PurgeFilesJobData,
} from './cleanup-queue.js';
