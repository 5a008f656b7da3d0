import { grpcAddress, loadConfig, logEnv, mysqlEnv, secret, type Environment } from '@lexy/server-config';
import type { DatabaseConfig } from '@lexy/server-database';
import { z } from 'zod';

const seconds = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  AUTH_GRPC_ADDRESS: grpcAddress('127.0.0.1:50051'),
  AUTH_DATABASE: z.string().default('lexy_auth'),
  // HMAC key of the access tokens: at least 256 bits; production has no default and must set it.
  // The pipe re-checks the length because zod 4 does not validate `.default()` values, so
  // secret()'s empty production default would otherwise pass as an empty HMAC key.
  AUTH_JWT_SECRET: secret('lexy-dev-only-jwt-secret-change-me-0123456789').pipe(
    z.string().min(32, 'must be set, at least 32 characters'),
  ),
  AUTH_JWT_ISSUER: z.string().min(1).default('lexy-auth'),
  AUTH_JWT_AUDIENCE: z.string().min(1).default('lexy-api'),
  AUTH_ACCESS_TOKEN_TTL_SECONDS: seconds(900, 60, 86_400),
  // Absolute lifetime of a session (refresh-token family), however often it is refreshed.
  AUTH_SESSION_TTL_SECONDS: seconds(30 * 86_400, 3_600, 365 * 86_400),
  ...mysqlEnv,
  ...logEnv,
});

export type AuthConfig = z.output<typeof schema>;

/** Injection token of the validated AuthConfig. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

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
