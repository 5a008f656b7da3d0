import { grpcAddress, loadConfig, logEnv, mysqlEnv, type Environment } from '@lexy/server-config';
import type { DatabaseConfig } from '@lexy/server-database';
import { z } from 'zod';

const schema = z.object({
  FILES_GRPC_ADDRESS: grpcAddress('127.0.0.1:50052'),
  FILES_DATABASE: z.string().default('lexy_files'),
  ...mysqlEnv,
  ...logEnv,
});

export type FilesConfig = z.output<typeof schema>;

export function loadFilesConfig(env?: Environment): FilesConfig {
  return loadConfig('files', schema, env);
}

export function filesDatabase(config: FilesConfig): DatabaseConfig {
  return {
    host: config.MYSQL_HOST,
    port: config.MYSQL_PORT,
    user: config.MYSQL_USER,
    password: config.MYSQL_PASSWORD,
    database: config.FILES_DATABASE,
  };
}
