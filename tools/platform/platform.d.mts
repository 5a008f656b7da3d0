// Types of platform.mjs for TypeScript callers (tests import it directly, without a build).
import type { ChildProcess } from 'node:child_process';

export interface ExtraProcess {
  /** e.g. http://127.0.0.1:18087 */
  url: string;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * A running gateway replica; `metricsUrl` serves its /metrics and /health (503 while it drains);
 * `relayPid()` is the process id of the relay it runs, when it was started with one.
 */
export type GatewayReplica = ExtraProcess & { metricsUrl: string; relayPid(): number | undefined };

/** The ports of a relay a gateway runs as its child (ADR 0011). */
export interface OwnRelayPorts {
  /** gRPC */
  port: number;
  wsPort: number;
  peerPort: number;
  metricsPort: number;
}

/**
 * Starts one more gateway replica against a running platform's services (`env` is that platform's);
 * its metrics port is `metricsPort`, by default `port` + 1000. Its `/ws` is piped to the
 * platform's relay unless `relay` gives it one of its own.
 */
export function startGateway(options: {
  env: Record<string, string>;
  port: number;
  metricsPort?: number;
  relay?: OwnRelayPorts;
  log?: (name: string, line: string) => void;
  startupTimeoutMs?: number;
}): Promise<GatewayReplica>;

/** A running cleanup worker; `url` serves /metrics and /health. */
export type CleanupWorker = ExtraProcess;

/** Starts one more cleanup worker against a running platform (`env` is that platform's, with overrides). */
export function startCleanup(options: {
  env: Record<string, string>;
  port: number;
  log?: (name: string, line: string) => void;
  startupTimeoutMs?: number;
}): Promise<CleanupWorker>;

/** A running relay replica (gRPC on `port`, devices' WebSocket, peer port; `metricsUrl` its metrics port). */
export type RelayReplica = Omit<ExtraProcess, 'url'> & { metricsUrl: string };

/** Starts one more relay replica against a running platform (`env` is that platform's); metrics on `port` + 1000 unless told. */
export function startRelay(options: {
  env: Record<string, string>;
  port: number;
  wsPort: number;
  peerPort: number;
  metricsPort?: number;
  log?: (name: string, line: string) => void;
  startupTimeoutMs?: number;
}): Promise<RelayReplica>;
