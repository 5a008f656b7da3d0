import { grpcAddress, internalEnv, loadConfig, logEnv, mysqlEnv, type Environment } from '@lexy/server-config';
import { databaseConfig, type DatabaseConfig } from '@lexy/server-database';
import { z } from 'zod';

const schema = z.object({
  QUOTAS_GRPC_ADDRESS: grpcAddress('127.0.0.1:50053'),
  QUOTAS_DATABASE: z.string().default('lexy_quotas'),
  ...mysqlEnv,
  ...logEnv,
  ...internalEnv,
});

export type QuotasConfig = z.output<typeof schema>;

export function loadQuotasConfig(env?: Environment): QuotasConfig {
  return loadConfig('quotas', schema, env);
}

export function quotasDatabase(config: QuotasConfig): DatabaseConfig {
  return databaseConfig(config, config.QUOTAS_DATABASE);
}
