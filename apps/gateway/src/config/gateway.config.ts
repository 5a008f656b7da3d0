import {
  grpcAddress,
  internalEnv,
  loadConfig,
  logEnv,
  metricsEnv,
  port,
  shutdownEnv,
  storageEnv,
  url,
  type Environment,
} from '@lexy/server-config';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { pickupGuardEnv } from '../pickup-guard/pickup-guard.config.js';
import { DEFAULT_RELAY_ENTRY } from '../relay/relay-child.js';
import { DEFAULT_WEB_ROOT } from '../web/web-root.js';

/** A comma-separated list of IP addresses or CIDR ranges, e.g. "10.0.0.0/8,127.0.0.1". */
const addressList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine(
    (entries) =>
      entries.every((entry) => {
        const [address, prefix] = entry.split('/');
        return isIP(address ?? '') !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix));
      }),
    'expected a comma-separated list of IP addresses or CIDR ranges',
  );

/** A comma-separated list of web origins, e.g. "http://192.168.1.20:8100,https://app.example.org". */
const originList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  )
  .refine(
    (entries) => entries.every((entry) => /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/i.test(entry)),
    'expected a comma-separated list of origins such as https://app.example.org',
  );

const schema = z.object({
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  GATEWAY_PORT: port(8080),
  /**
   * The gateway's metrics port: GET /metrics (Prometheus) and GET /health (503 while draining).
   * Internal: never the public port, so that metrics are not exposed where clients reach it.
   */
  GATEWAY_METRICS_PORT: port(9465),
  ...metricsEnv,
  ...shutdownEnv,
  AUTH_GRPC_ADDRESS: grpcAddress('127.0.0.1:50051'),
  FILES_GRPC_ADDRESS: grpcAddress('127.0.0.1:50052'),
  QUOTAS_GRPC_ADDRESS: grpcAddress('127.0.0.1:50053'),
  RELAY_GRPC_ADDRESS: grpcAddress('127.0.0.1:50054'),
  /**
   * Unset (the default): the gateway runs the relay as its child process and hands it each
   * socket on `/ws` (ADR 0011); the child reads the relay's variables from this environment.
   * Set to a relay's WebSocket port (`host:port`): the gateway pipes `/ws` there (ADR 0007).
   */
  RELAY_WS_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'expected host:port')
    .optional(),
  /** The relay's built entry that a gateway without RELAY_WS_ADDRESS runs. */
  GATEWAY_RELAY_ENTRY: z.string().min(1).default(DEFAULT_RELAY_ENTRY),
  TRUSTED_PROXIES: addressList,
  GATEWAY_JSON_BODY_LIMIT: z.string().default('64kb'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** How long a verified access token is trusted without asking auth again (revocation is checked every time). */
  GATEWAY_TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** Namespace of the download-speed buckets in Redis (one platform's gateways share it). */
  GATEWAY_THROTTLE_PREFIX: z.string().min(1).default('lexy:throttle:'),
  /**
   * How long a tus upload may take from its creation before it expires; the cleanup worker then
   * aborts its multipart upload and releases its reservation. At most a day, the longest any
   * upload session lives in the files service.
   */
  TUS_UPLOAD_EXPIRY_SECONDS: z.coerce.number().int().min(10).max(86_400).default(86_400),
  /** A tus request whose client sends nothing for this long is dropped (its lock is freed). */
  TUS_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /**
   * The public HTTP server's limits on a request's head (security-cases WS-05: slowloris, the
   * WebSocket upgrade included): a client that has not sent all its headers within this many
   * seconds gets a 408 and is dropped.
   */
  GATEWAY_HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
  /**
   * A request must have arrived whole within this many seconds (Node's default, 300, stated
   * here); 0 turns the limit off. An upgraded WebSocket is no longer a request and never ends here.
   */
  GATEWAY_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Headers kept per request; more are dropped (Node's default is 2000). */
  GATEWAY_MAX_HEADERS_COUNT: z.coerce.number().int().min(20).max(2000).default(100),
  /**
   * Where people reach the platform (scheme, host, optional path prefix): share links and
   * their QR codes point at `${PUBLIC_URL}/p/<code>?t=<token>`, a page the web client serves.
   */
  /**
   * How long one gateway remembers the answer to a lookup of an open code (no PIN, no download
   * limit); the files service announces deletions, so this only bounds what a lost announcement
   * could cost. 0 turns the memory off.
   */
  PICKUP_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /**
   * The built web app (`apps/web/dist/browser`), served at `/`; a relative path is taken from the
   * gateway's working directory.
   */
  GATEWAY_WEB_ROOT: z
    .string()
    .min(1)
    .default(DEFAULT_WEB_ROOT)
    .transform((value) => resolve(value)),
  PUBLIC_URL: url(['http:', 'https:'], 'http://localhost:8080').transform((value) => value.replace(/\/+$/, '')),
  /**
   * Origins besides PUBLIC_URL's and the mobile app's (https://localhost, capacitor://localhost)
   * whose pages may call the API and open /ws: the mobile app's web build served elsewhere, say.
   */
  GATEWAY_CLIENT_ORIGINS: originList,
  ...pickupGuardEnv,
  ...internalEnv,
  ...storageEnv,
  ...logEnv,
});

export type GatewayConfig = z.output<typeof schema>;

export function loadGatewayConfig(env?: Environment): GatewayConfig {
  return loadConfig('gateway', schema, env);
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
