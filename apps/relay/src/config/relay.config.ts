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
  wholeNumber,
  type Environment,
} from '@lexy/server-config';
import { databaseConfig, type DatabaseConfig } from '@lexy/server-database';
import { DEFAULT_THROTTLE_PREFIX } from '@lexy/server-throttle';
import { z } from 'zod';

const DAY_SECONDS = 86_400;

const schema = z.object({
  RELAY_GRPC_ADDRESS: grpcAddress('127.0.0.1:50054'),
  /** The service's metrics port: GET /metrics (Prometheus) and GET /health (503 while draining). */
  RELAY_METRICS_PORT: port(9469),
  ...metricsEnv,
  ...shutdownEnv,
  /**
   * The devices' WebSocket (`/ws`, api.md): an internal port beside the gRPC one, reached through
   * the gateway (ADR 0007). Every socket authenticates here, whoever forwarded it.
   */
  RELAY_WS_PORT: port(50055),
  /**
   * Set by a gateway that runs the relay as its child process (ADR 0011): the relay then also
   * takes the devices' sockets that gateway accepted, handed over its IPC channel.
   */
  RELAY_WS_FROM_PARENT: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** How often the server pings each socket; one silent for three intervals is closed (4408). */
  RELAY_WS_PING_SECONDS: wholeNumber(30, 1, 3600),
  /**
   * Relayed bytes (security-cases WS-04): above this many bytes buffered for a receiving socket
   * the relay stops reading the sender, and reads it again below half of it.
   */
  RELAY_HIGH_WATER_BYTES: wholeNumber(4 * 1024 * 1024, 64 * 1024, 256 * 1024 * 1024),
  /**
   * Where the other relay replicas reach this one with the bytes of a transfer whose receiver
   * is connected here (ADR 0008): an internal WebSocket port, never public.
   */
  RELAY_PEER_PORT: port(50056),
  /** This replica's peer port as the other replicas reach it (in a cluster: the pod's address). */
  RELAY_PEER_URL: url(['ws:', 'wss:'], 'ws://127.0.0.1:50056'),
  /** How long a streaming transfer waits for a dropped device to reconnect and resume before it fails. */
  RELAY_RESUME_SECONDS: wholeNumber(30, 1, 3600),
  /** A receiver that takes no byte for this long while the sender waits on it fails the transfer (WS-04). */
  RELAY_STALL_SECONDS: wholeNumber(30, 1, 3600),
  /**
   * How long a replica's hold on its streams lasts between renewals (every third of it): a
   * killed replica's transfers end `failed` about this long after it died.
   */
  RELAY_STREAM_LEASE_SECONDS: wholeNumber(10, 3, 600),
  /** The auth service, which verifies the access tokens sockets authenticate with. */
  AUTH_GRPC_ADDRESS: grpcAddress('127.0.0.1:50051'),
  /** The files service, which holds the bytes of a `stored` transfer as the sender's own files. */
  FILES_GRPC_ADDRESS: grpcAddress('127.0.0.1:50052'),
  /** The quotas service: the group's download speed applies to relayed bytes too. */
  QUOTAS_GRPC_ADDRESS: grpcAddress('127.0.0.1:50053'),
  RELAY_DATABASE: z.string().default('lexy_relay'),
  /** Presence lives in Redis only: it is short-lived by nature, and MySQL keeps last_seen_at. */
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** Namespace of the relay's keys; every test run takes one of its own. */
  RELAY_REDIS_PREFIX: z.string().min(1).default('lexy:relay:'),
  /**
   * The gateway's variable, read here too: relayed bytes take from the same per-account buckets
   * as that account's downloads, so both services must name them alike (one value per platform).
   */
  GATEWAY_THROTTLE_PREFIX: z.string().min(1).default(DEFAULT_THROTTLE_PREFIX),
  /** How long a heartbeat keeps a device online; clients beat well inside it. */
  RELAY_PRESENCE_TTL_SECONDS: wholeNumber(90, 1, DAY_SECONDS),
  /** Devices one account may register (security-cases WS-02). */
  RELAY_DEVICE_LIMIT: wholeNumber(20, 1, 1000),
  /** How long an offer waits for an answer before it is `expired`. */
  RELAY_OFFER_TTL_SECONDS: wholeNumber(600, 1, DAY_SECONDS),
  ...mysqlEnv,
  ...logEnv,
  ...internalEnv,
});

export type RelayConfig = z.output<typeof schema>;

/** Injection token of the validated RelayConfig. */
export const RELAY_CONFIG = Symbol('RELAY_CONFIG');

export function loadRelayConfig(env?: Environment): RelayConfig {
  return loadConfig('relay', schema, env);
}

export function relayDatabase(config: RelayConfig): DatabaseConfig {
  return databaseConfig(config, config.RELAY_DATABASE);
}
