import {
  grpcAddress,
  internalEnv,
  loadConfig,
  logEnv,
  metricsEnv,
  mysqlEnv,
  port,
  secret,
  shutdownEnv,
  url,
  type Environment,
} from '@lexy/server-config';
import { databaseConfig, type DatabaseConfig } from '@lexy/server-database';
import { z } from 'zod';

const schema = z.object({
  FILES_GRPC_ADDRESS: grpcAddress('127.0.0.1:50052'),
  /** The service's metrics port: GET /metrics (Prometheus) and GET /health (503 while draining). */
  FILES_METRICS_PORT: port(9467),
  ...metricsEnv,
  ...shutdownEnv,
  FILES_DATABASE: z.string().default('lexy_files'),
  QUOTAS_GRPC_ADDRESS: grpcAddress('127.0.0.1:50053'),
  // Where an admin's restore learns the owner's current group (UserAdminService.GetUsers).
  AUTH_GRPC_ADDRESS: grpcAddress('127.0.0.1:50051'),
  // Where file changes are announced to the gateways' pickup caches (FILE_CHANGES_CHANNEL), and
  // where owner deletions are queued for the cleanup worker (CLEANUP_QUEUE).
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  // BullMQ key prefix of the cleanup queue; the same as the cleanup worker's.
  QUEUE_PREFIX: z.string().min(1).default('lexy'),
  // Key of HMAC-SHA-256 over normalized pickup codes; rotating it orphans every live code.
  FILES_CODE_PEPPER: secret('dev-only-files-code-pepper-not-for-production'),
  // Encrypts the code so its owner can see it again; a database dump alone reveals nothing.
  FILES_CODE_ENCRYPTION_KEY: secret('dev-only-files-code-encryption-key-not-for-production'),
  ...mysqlEnv,
  ...logEnv,
  ...internalEnv,
});

export type FilesConfig = z.output<typeof schema>;

export function loadFilesConfig(env?: Environment): FilesConfig {
  return loadConfig('files', schema, env);
}

export function filesDatabase(config: FilesConfig): DatabaseConfig {
  return databaseConfig(config, config.FILES_DATABASE);
}

/** Injection token of the validated FilesConfig. */
export const FILES_CONFIG = Symbol('FILES_CONFIG');
