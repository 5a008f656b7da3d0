import { z } from 'zod';

/** A TCP port given as an environment variable. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

/** A whole number (of seconds, items, bytes) from an environment variable, within bounds. */
export const wholeNumber = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** A `host:port` address of a gRPC server. */
export const grpcAddress = (fallback: string) =>
  z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'expected host:port')
    .default(fallback);

/** A URL with one of the given protocols. */
export const url = (protocols: string[], fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );

/**
 * A secret: required in production, with a development default elsewhere. The default
 * goes through validation too (`prefault`), so a production start without it fails.
 */
export const secret = (developmentDefault: string, minLength = 32) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'required in production' : 'expected a string') })
    .min(minLength, `must be at least ${minLength} characters`)
    // In production the "default" is undefined, which fails the string check above.
    .prefault(() => (process.env['NODE_ENV'] === 'production' ? undefined : developmentDefault) as string);

/** MySQL connection settings shared by every service that owns a database. */
export const mysqlEnv = {
  MYSQL_HOST: z.string().default('127.0.0.1'),
  MYSQL_PORT: port(3306),
  MYSQL_USER: z.string().default('root'),
  MYSQL_PASSWORD: z.string().default(''),
};

/** Object storage settings (MinIO in production, the local S3 server in development). */
export const storageEnv = {
  S3_ENDPOINT: url(['http:', 'https:'], 'http://127.0.0.1:9000'),
  S3_ACCESS_KEY: z.string().min(1).default('lexy-local'),
  S3_SECRET_KEY: z.string().min(1).default('lexy-local-secret'),
  S3_BUCKET: z.string().min(3).default('lexy-files'),
  S3_REGION: z.string().default('us-east-1'),
};

export const logEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/** The key that signs and verifies the caller identity passed between services (AUTH-08). */
export const internalEnv = {
  INTERNAL_CALLER_SECRET: secret('lexy-development-internal-caller-secret-not-for-production'),
};

/**
 * Graceful shutdown: after SIGTERM a service drains — takes no new work, reports not-ready —
 * for at most this long, then cuts what is left. Under Kubernetes' default 30 s grace period,
 * so the drain ends before the kubelet's SIGKILL.
 */
export const shutdownEnv = {
  SHUTDOWN_GRACE_SECONDS: wholeNumber(25, 0, 3600),
};

/**
 * Where a service's metrics port listens (GET /metrics, GET /health); the port itself is the
 * service's own variable (GATEWAY_METRICS_PORT, …). All interfaces, so that Prometheus can
 * scrape a pod: the port is internal, never one a Service or an Ingress publishes.
 */
export const metricsEnv = {
  METRICS_HOST: z.string().min(1).default('0.0.0.0'),
};
