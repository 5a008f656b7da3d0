import { grpcAddress, loadConfig, logEnv, mysqlEnv, type Environment } from '@lexy/server-config';
import type { DatabaseConfig } from '@lexy/server-database';
import { z } from 'zod';

const schema = z.object({
  AUTH_GRPC_ADDRESS: grpcAddress('127.0.0.1:50051'),
  AUTH_DATABASE: z.string().default('lexy_auth'),
  ...mysqlEnv,
  ...logEnv,
});

export type AuthConfig = z.output<typeof schema>;

export function loadAuthConfig(env?: Environment): AuthConfig {
  return loadConfig('auth', schema, env);
}

export function authDatabase(config: AuthConfig): DatabaseConfig {
  return {
    host: config.MYSQL_HOST,
    port: config.MYSQL_PORT,
    user: config.MYSQL_USER,
    password: config.MYSQL_PASSWORD,
    database: config.AUTH_DATABASE,
  };
}
