import {
  grpcAddress,
  internalEnv,
  loadConfig,
  logEnv,
  metricsEnv,
  mysqlEnv,
  port,
  shutdownEnv,
  url,
  type Environment,
} from '@lexy/server-config';
import { databaseConfig, type DatabaseConfig } from '@lexy/server-database';
import { z } from 'zod';

const schema = z.object({
  QUOTAS_GRPC_ADDRESS: grpcAddress('127.0.0.1:50053'),
  /** The service's metrics port: GET /metrics (Prometheus) and GET /health (503 while draining). */
  QUOTAS_METRICS_PORT: port(9468),
  ...metricsEnv,
  ...shutdownEnv,
  QUOTAS_DATABASE: z.string().default('lexy_quotas'),
  /** Fast traffic counters; the MySQL ledger stays the truth they are rebuilt from. */
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  ...mysqlEnv,
  ...logEnv,
  ...internalEnv,
});

export type QuotasConfig = z.output<typeof schema>;

export const QUOTAS_CONFIG = Symbol('QUOTAS_CONFIG');

export function loadQuotasConfig(env?: Environment): QuotasConfig {
  return loadConfig('quotas', schema, env);
}

export function quotasDatabase(config: QuotasConfig): DatabaseConfig {
  return databaseConfig(config, config.QUOTAS_DATABASE);
}
