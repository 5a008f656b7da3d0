import {
  grpcAddress,
  internalEnv,
  loadConfig,
  logEnv,
  port,
  shutdownEnv,
  storageEnv,
  url,
  wholeNumber,
  type Environment,
} from '@lexy/server-config';
import { z } from 'zod';

const DAY_SECONDS = 86_400;

const schema = z.object({
  /** How often each cleanup job (expire, purge, abandon, reconcile, expire-offers) runs, once per cluster. */
  CLEANUP_INTERVAL_SECONDS: wholeNumber(60, 1, DAY_SECONDS),
  /** Rows, ids or keys per call to the files, quotas and relay services (their calls take at most 1000). */
  CLEANUP_BATCH_SIZE: wholeNumber(500, 1, 1000),
  /**
   * The most files purge deletes a second (0: as fast as it can). Paced, a purge of many files
   * leaves the object store and the database to live requests most of the time.
   */
  CLEANUP_PURGE_FILES_PER_SECOND: wholeNumber(250, 0, 100_000),
  /**
   * How long a purge claim holds: a claim older than this is taken over by the next purge,
   * because its worker is presumed dead. Longer than one purge batch can take.
   */
  CLEANUP_CLAIM_LEASE_SECONDS: wholeNumber(300, 1, DAY_SECONDS),
  /**
   * How old an object nothing refers to (or an abandoned tus tail) must be before reconcile
   * deletes it: younger ones may belong to an upload that is just being recorded.
   */
  CLEANUP_ORPHAN_GRACE_SECONDS: wholeNumber(DAY_SECONDS, 1, 30 * DAY_SECONDS),
  /** How long past its expiry a storage reservation is kept before reconcile gives it back. */
  CLEANUP_RESERVATION_GRACE_SECONDS: wholeNumber(3600, 0, 30 * DAY_SECONDS),
  /** Port of the worker's HTTP server: GET /metrics (Prometheus) and GET /health (503 while draining). */
  CLEANUP_METRICS_PORT: port(9464),
  ...shutdownEnv,
  FILES_GRPC_ADDRESS: grpcAddress('127.0.0.1:50052'),
  QUOTAS_GRPC_ADDRESS: grpcAddress('127.0.0.1:50053'),
  RELAY_GRPC_ADDRESS: grpcAddress('127.0.0.1:50054'),
  /** The BullMQ queue CLEANUP_QUEUE lives here; the files service queues owner deletions on it. */
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** BullMQ key prefix, the same as the files service's, so both see one queue. */
  QUEUE_PREFIX: z.string().min(1).default('lexy'),
  ...storageEnv,
  ...internalEnv,
  ...logEnv,
});

export type CleanupConfig = z.output<typeof schema>;

export function loadCleanupConfig(env?: Environment): CleanupConfig {
  return loadConfig('cleanup', schema, env);
}

/** Injection token of the validated CleanupConfig. */
export const CLEANUP_CONFIG = Symbol('CLEANUP_CONFIG');
