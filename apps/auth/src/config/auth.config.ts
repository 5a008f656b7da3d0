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
import { isAcceptablePassword, isPlausibleEmail, normalizeEmail } from '../auth/credentials.js';

const seconds = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** An optional variable: unset and empty both mean "not set". */
const optionalString = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value));

const schema = z
  .object({
    AUTH_GRPC_ADDRESS: grpcAddress('127.0.0.1:50051'),
    /** The service's metrics port: GET /metrics (Prometheus) and GET /health (503 while draining). */
    AUTH_METRICS_PORT: port(9466),
    ...metricsEnv,
    ...shutdownEnv,
    AUTH_DATABASE: z.string().default('lexy_auth'),
    // HMAC key of the access tokens: at least 256 bits; production has no default and must set it.
    AUTH_JWT_SECRET: secret('lexy-dev-only-jwt-secret-change-me-0123456789'),
    AUTH_JWT_ISSUER: z.string().min(1).default('lexy-auth'),
    AUTH_JWT_AUDIENCE: z.string().min(1).default('lexy-api'),
    AUTH_ACCESS_TOKEN_TTL_SECONDS: seconds(900, 60, 86_400),
    // Absolute lifetime of a session (refresh-token family), however often it is refreshed.
    AUTH_SESSION_TTL_SECONDS: seconds(30 * 86_400, 3_600, 365 * 86_400),
    // A family whose refresh token was not used for this long is dead (a device left signed in
    // and forgotten stops being a way in), even before its absolute end.
    AUTH_REFRESH_IDLE_SECONDS: seconds(14 * 86_400, 3_600, 365 * 86_400),
    // How long a rotated refresh token, presented again, yields the same successor instead of
    // counting as reuse: two tabs of one client refreshing at once are a race, not theft.
    // Kept short (at most 10 s) because a thief replaying within it is not detected; 0 disables it.
    AUTH_REFRESH_GRACE_SECONDS: seconds(10, 0, 10),
    // argon2id cost. The floors are OWASP's minimum (19 MiB, 2 passes); the defaults are
    // the argon2 library's (64 MiB, 3 passes). Tests lower them to the floor for speed.
    AUTH_ARGON2_MEMORY_KIB: z.coerce.number().int().min(19_456).max(1_048_576).default(65_536),
    AUTH_ARGON2_TIME_COST: z.coerce.number().int().min(2).max(10).default(3),
    // Login failure counters and revocation markers live here, shared by every replica
    // of auth and of the gateway.
    REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    // Prefix of every Redis key this service writes. The gateway reads `lexy:revoked:*`,
    // so only tests change it (to keep their keys apart).
    AUTH_REDIS_PREFIX: z
      .string()
      .regex(/^[\w.:-]{1,64}$/, 'expected 1-64 characters of [A-Za-z0-9_.:-]')
      .default('lexy:'),
    // The first administrator, created at start when no user has this email yet.
    // Both or neither; an existing user is never touched (its password is never reset).
    ADMIN_EMAIL: optionalString(),
    ADMIN_PASSWORD: optionalString(),
    ...internalEnv,
    ...mysqlEnv,
    ...logEnv,
  })
  .superRefine((config, context) => {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = config;
    if ((email === undefined) !== (password === undefined)) {
      const missing = email === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD';
      context.addIssue({
        code: 'custom',
        path: [missing],
        message: 'must be set together with the other ADMIN_ variable',
      });
    }
    if (email !== undefined && !isPlausibleEmail(normalizeEmail(email))) {
      context.addIssue({ code: 'custom', path: ['ADMIN_EMAIL'], message: 'must be an email address' });
    }
    if (password !== undefined && !isAcceptablePassword(password)) {
      context.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'must be 8-256 characters' });
    }
  });

export type AuthConfig = z.output<typeof schema>;

/** Injection token of the validated AuthConfig. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export function loadAuthConfig(env?: Environment): AuthConfig {
  return loadConfig('auth', schema, env);
}

export function authDatabase(config: AuthConfig): DatabaseConfig {
  return databaseConfig(config, config.AUTH_DATABASE);
}
