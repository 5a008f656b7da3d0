// Types of cluster.mjs for TypeScript callers (tests import it directly, without a build).
import type { ChildProcess } from 'node:child_process';

/** The cluster's port plan: the platform's ports (platform.mjs DEFAULT_PORTS) and the replicas' and proxy's. */
export interface ClusterPorts {
  proxy: number;
  gateway: number;
  gateway2: number;
  gatewayMetrics: number;
  gateway2Metrics: number;
  auth: number;
  files: number;
  quotas: number;
  relay: number;
  relayWs: number;
  relayPeer: number;
  relay2: number;
  relay2Ws: number;
  relay2Peer: number;
  relayMetrics: number;
  relay2Metrics: number;
  s3: number;
  cleanup: number;
  cleanup2: number;
  authMetrics: number;
  filesMetrics: number;
  quotasMetrics: number;
}

/** `npm run start:cluster`'s ports: the proxy on 8080, gateways on 8081 and 8082, the rest beside the platform's. */
export const CLUSTER_PORTS: ClusterPorts;

export interface Cluster {
  /** The public entry, the round-robin proxy, e.g. http://127.0.0.1:8080 */
  proxyUrl: string;
  /** Each gateway: its internal URL and its metrics port's. */
  gateways: { url: string; metricsUrl: string; process: ChildProcess }[];
  /** Each gateway's relay, run as its child process (ADR 0011). */
  relays: { metricsUrl: string; pid: number | undefined }[];
  /** Each cleanup worker's /metrics and /health. */
  cleanups: { url: string; process: ChildProcess }[];
  s3Endpoint: string;
  /** The environment the platform's processes share. */
  env: Record<string, string>;
  /** Stops everything, the proxy first. */
  stop(): Promise<void>;
}

/** Every problem of a port plan: missing ports, one port for two jobs, ports in use. */
export function portProblems(ports: Record<string, number>): Promise<string[]>;

/**
 * Starts the platform with two gateways (behind the round-robin proxy on `ports.proxy`), two
 * relays and two cleanup workers. A port problem rejects with every problem at once (`preflight`
 * set on the error), before anything starts.
 */
export function startCluster(options?: {
  ports?: ClusterPorts;
  databasePrefix?: string;
  dataDir?: string;
  base?: Record<string, string | undefined>;
  log?: (name: string, line: string) => void;
  /** Default 0.0.0.0. */
  proxyHost?: string;
  startupTimeoutMs?: number;
}): Promise<Cluster>;
