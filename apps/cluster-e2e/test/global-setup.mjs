// Starts a private cluster for the suite (tools/platform/cluster.mjs): fresh databases
// (lexy_cluster_*), a fresh S3 data folder, Redis keys of its own, and a port plan of its own
// (22100…, 30 ports per E2E_INSTANCE) that clashes neither with `npm start` / `npm run
// start:cluster` nor with gateway-e2e (13050…19189), web-e2e or the benchmarks (24050…39000).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../../../tools/platform/cluster.mjs';
import { freshInstance } from '../../../tools/platform/fresh-instance.mjs';

const INSTANCE = Number(process.env.E2E_INSTANCE ?? 0);
const BASE = 22100 + INSTANCE * 30;
const PORT_ORDER = [
  'proxy',
  'gateway',
  'gateway2',
  'auth',
  'files',
  'quotas',
  'relay',
  'relayWs',
  'relayPeer',
  'relay2',
  'relay2Ws',
  'relay2Peer',
  's3',
  'cleanup',
  'cleanup2',
  'gatewayMetrics',
  'gateway2Metrics',
  'authMetrics',
  'filesMetrics',
  'quotasMetrics',
  'relayMetrics',
  'relay2Metrics',
];
export const CLUSTER_E2E_PORTS = Object.fromEntries(PORT_ORDER.map((name, index) => [name, BASE + index]));
const PREFIX = INSTANCE === 0 ? 'lexy_cluster' : `lexy_cluster${INSTANCE}`;
/** Every cleanup job ticks this often; cleanup-ticks.e2e.spec.ts counts the runs. */
const CLEANUP_INTERVAL_SECONDS = 1;
export const CLUSTER_ADMIN = { email: 'admin@cluster-e2e.lexy.test', password: 'cluster-e2e-admin-password-1' };

export default async function globalSetup() {
  // An earlier run's state in Redis: the quotas service's counters (lexy:<database>:…), the
  // relay's presence, the throttle's buckets and the pickup counters (lexy:<prefix>:…), and the
  // cleanup queue with its job schedulers (<prefix>:…, BullMQ's QUEUE_PREFIX).
  await freshInstance(PREFIX, [`lexy:${PREFIX}_quotas:*`, `lexy:${PREFIX}:*`, `${PREFIX}:*`]);

  const logs = [];
  const base = {
    ...process.env,
    AUTH_JWT_SECRET: 'cluster-e2e-jwt-secret-0123456789-abcdefghij',
    INTERNAL_CALLER_SECRET: 'cluster-e2e-internal-secret-0123456789-abcd',
    ADMIN_EMAIL: CLUSTER_ADMIN.email,
    ADMIN_PASSWORD: CLUSTER_ADMIN.password,
    // Tests pose as many sources: X-Forwarded-For through the proxy, which appends its own hop.
    // (startCluster trusts 127.0.0.1 itself; stated here as the suite relies on it.)
    TRUSTED_PROXIES: '127.0.0.1',
    CLEANUP_INTERVAL_SECONDS: String(CLEANUP_INTERVAL_SECONDS),
    CLEANUP_CLAIM_LEASE_SECONDS: '5',
    // Relayed streams: as in gateway-e2e, a killed replica's streams fail within seconds.
    RELAY_RESUME_SECONDS: '4',
    RELAY_STALL_SECONDS: '6',
    RELAY_STREAM_LEASE_SECONDS: '3',
    RELAY_REDIS_PREFIX: `lexy:${PREFIX}:relay:`,
    GATEWAY_THROTTLE_PREFIX: `lexy:${PREFIX}:throttle:`,
    // The production pickup limits (5 failures a minute per source, 20 an hour, a global budget of
    // 1,000 an hour): shared-limits.e2e.spec.ts checks the cluster enforces them as one gateway does.
    PICKUP_REDIS_PREFIX: `lexy:${PREFIX}:pickup:`,
  };
  for (const name of ['PICKUP_FAILURES_PER_MINUTE', 'PICKUP_FAILURES_PER_HOUR', 'PICKUP_GLOBAL_FAILURE_BUDGET']) {
    delete base[name];
  }
  const cluster = await startCluster({
    base,
    ports: CLUSTER_E2E_PORTS,
    databasePrefix: PREFIX,
    dataDir: mkdtempSync(join(tmpdir(), 'lexy-cluster-e2e-s3-')),
    proxyHost: '127.0.0.1',
    // Keep the output of a passing run short; show the cluster's logs only on failure.
    log: (name, line) => logs.push(`[${name}] ${line}`),
  }).catch((error) => {
    console.error(logs.slice(-50).join('\n'));
    throw error;
  });
  globalThis.__LEXY_CLUSTER__ = cluster;
  // What the tests read (apps/cluster-e2e/test/support/cluster.ts, and gateway-e2e's support,
  // whose requests go to E2E_GATEWAY_URL: here the proxy).
  process.env.E2E_GATEWAY_URL = cluster.proxyUrl;
  process.env.E2E_S3_ENDPOINT = cluster.s3Endpoint;
  process.env.E2E_S3_BUCKET = cluster.env.S3_BUCKET;
  process.env.E2E_DATABASE_PREFIX = PREFIX;
  process.env.E2E_ADMIN_EMAIL = CLUSTER_ADMIN.email;
  process.env.E2E_ADMIN_PASSWORD = CLUSTER_ADMIN.password;
  process.env.E2E_CLUSTER = JSON.stringify({
    proxyUrl: cluster.proxyUrl,
    gateways: cluster.gateways.map(({ url, metricsUrl, process }) => ({ url, metricsUrl, pid: process.pid })),
    relays: cluster.relays.map(({ metricsUrl, pid }) => ({ metricsUrl, pid })),
    cleanups: cluster.cleanups.map(({ url, process }) => ({ url, pid: process.pid })),
    cleanupIntervalSeconds: CLEANUP_INTERVAL_SECONDS,
  });
}
