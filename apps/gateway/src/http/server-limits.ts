import type { Server } from 'node:http';
import type { GatewayConfig } from '../config/gateway.config.js';

export type ServerLimitsConfig = Pick<
  GatewayConfig,
  'GATEWAY_HEADERS_TIMEOUT_SECONDS' | 'GATEWAY_REQUEST_TIMEOUT_SECONDS' | 'GATEWAY_MAX_HEADERS_COUNT'
>;

/** What the limits set on a server, in Node's units. */
export interface ServerLimits {
  headersTimeout: number;
  requestTimeout: number;
  maxHeadersCount: number;
  connectionsCheckingInterval: number;
}

/** Node checks its timeouts only this often (30 s by default): at most 5 s late, sooner for short ones. */
const MAX_CHECKING_INTERVAL_MS = 5_000;

/**
 * The limits from the configuration. Node enforces `headersTimeout` and `requestTimeout` only
 * when it sweeps its connections every `connectionsCheckingInterval`, so the sweep runs at a
 * quarter of the headers timeout (at most every 5 s): a slowloris is then dropped within
 * 1.25 × the timeout instead of up to 30 s late. Node requires requestTimeout ≥ headersTimeout
 * (0 is "no limit").
 */
export function serverLimits(config: ServerLimitsConfig): ServerLimits {
  const headersTimeout = config.GATEWAY_HEADERS_TIMEOUT_SECONDS * 1000;
  const requested = config.GATEWAY_REQUEST_TIMEOUT_SECONDS * 1000;
  return {
    headersTimeout,
    requestTimeout: requested === 0 ? 0 : Math.max(requested, headersTimeout),
    maxHeadersCount: config.GATEWAY_MAX_HEADERS_COUNT,
    connectionsCheckingInterval: Math.min(MAX_CHECKING_INTERVAL_MS, Math.max(250, headersTimeout / 4)),
  };
}

/**
 * Sets the limits on the public server before it listens (Nest's adapter creates it without
 * options; Node reads `connectionsCheckingInterval` when the server starts listening).
 */
export function applyServerLimits(server: Server, config: ServerLimitsConfig): ServerLimits {
  const limits = serverLimits(config);
  server.headersTimeout = limits.headersTimeout;
  server.requestTimeout = limits.requestTimeout;
  server.maxHeadersCount = limits.maxHeadersCount;
  // Not in @types/node as writable, but a plain property that `listen` reads (Node ≥ 18).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    limits.connectionsCheckingInterval;
  return limits;
}
