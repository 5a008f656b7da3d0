// Starts a private instance of the platform for the end-to-end suite: fresh databases
// (lexy_e2e_*), a fresh S3 data folder, and ports that do not clash with `npm start`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../../../tools/platform/platform.mjs';
import { freshInstance } from '../../../tools/platform/fresh-instance.mjs';

export const E2E_JWT_SECRET = 'e2e-jwt-secret-0123456789-abcdefghijklmnop';
export const E2E_INTERNAL_SECRET = 'e2e-internal-secret-0123456789-abcdefghij';
export const E2E_ADMIN = { email: 'admin@e2e.lexy.test', password: 'e2e-admin-password-1' };
// E2E_INSTANCE (a small number, default 0) moves the ports and databases, so two checkouts or
// two developers on one machine can run the suite at the same time.
const INSTANCE = Number(process.env.E2E_INSTANCE ?? 0);
const shift = INSTANCE * 10;
export const E2E_PORTS = {
  gateway: 18080 + shift,
  auth: 15051 + shift,
  files: 15052 + shift,
  quotas: 15053 + shift,
  s3: 19000 + shift,
  cleanup: 15054 + shift,
  relay: 15055 + shift,
  relayWs: 15056 + shift,
  relayPeer: 15057 + shift,
  // Metrics ports, a range of their own (14050…14054, moved like the rest).
  gatewayMetrics: 14050 + shift,
  authMetrics: 14051 + shift,
  filesMetrics: 14052 + shift,
  quotasMetrics: 14053 + shift,
  relayMetrics: 14054 + shift,
};
const PREFIX = INSTANCE === 0 ? 'lexy_e2e' : `lexy_e2e${INSTANCE}`;

export default async function globalSetup() {
  // The quotas service's traffic counters outlive its database in Redis (lexy:<database>:…);
  // a fresh ledger needs fresh counters, or an earlier run's traffic today counts again.
  await freshInstance(PREFIX, [`lexy:${PREFIX}_quotas:*`]);

  // Every line the platform logs, kept for the teardown's check that no secret was logged (AZ-06).
  const logs = [];
  globalThis.__LEXY_LOGS__ = logs;
  process.env.E2E_SECRETS_FILE = join(mkdtempSync(join(tmpdir(), 'lexy-e2e-secrets-')), 'issued.txt');
  // Known secrets for this private platform, so tests can craft tokens (AUTH-01) and
  // sign in as the bootstrapped admin; a trusted local proxy lets tests pose as many sources.
  const base = {
    ...process.env,
    AUTH_JWT_SECRET: E2E_JWT_SECRET,
    INTERNAL_CALLER_SECRET: E2E_INTERNAL_SECRET,
    ADMIN_EMAIL: E2E_ADMIN.email,
    ADMIN_PASSWORD: E2E_ADMIN.password,
    TRUSTED_PROXIES: '127.0.0.1',
    // The cleanup worker ticks every second (expired tus uploads are given up within seconds,
    // UP-07); objects without a row are orphans after a minute (security-cases.md I2), and a
    // purge claim of a killed worker is taken over after 5 s (LC-03).
    CLEANUP_INTERVAL_SECONDS: '1',
    CLEANUP_ORPHAN_GRACE_SECONDS: '60',
    CLEANUP_CLAIM_LEASE_SECONDS: '5',
    // Relayed streams: a dropped device has 4 s to come back, a receiver that reads nothing
    // fails the transfer after 6 s, and a killed relay replica's streams fail within ~3 s of
    // their last renewal (websocket-resume and websocket-replicas e2e). Relay keys and
    // channels of this platform only.
    RELAY_RESUME_SECONDS: '4',
    RELAY_STALL_SECONDS: '6',
    RELAY_STREAM_LEASE_SECONDS: '3',
    RELAY_REDIS_PREFIX: `lexy:${PREFIX}:relay:`,
    // Download-speed buckets of this platform only (instances share the one Redis).
    GATEWAY_THROTTLE_PREFIX: `lexy:${PREFIX}:throttle:`,
    // Pickup limits that no test file reaches (pickup-limits.e2e.spec.ts starts replicas with
    // the real ones), in counters of this run only.
    PICKUP_FAILURES_PER_MINUTE: '100000',
    PICKUP_FAILURES_PER_HOUR: '1000000',
    PICKUP_GLOBAL_FAILURE_BUDGET: '100000000',
    PICKUP_REDIS_PREFIX: `lexy:${PREFIX}:${Date.now().toString(36)}:pickup:`,
  };
  const platform = await startPlatform({
    base,
    ports: E2E_PORTS,
    databasePrefix: PREFIX,
    dataDir: mkdtempSync(join(tmpdir(), 'lexy-e2e-s3-')),
    // Keep the output of a passing run short; show the platform's logs only on failure.
    log: (name, line) => logs.push(`[${name}] ${line}`),
  }).catch((error) => {
    console.error(logs.slice(-50).join('\n'));
    throw error;
  });
  globalThis.__LEXY_PLATFORM__ = platform;
  process.env.E2E_GATEWAY_URL = platform.gatewayUrl;
  process.env.E2E_S3_ENDPOINT = platform.s3Endpoint;
  process.env.E2E_S3_BUCKET = platform.env.S3_BUCKET;
  process.env.E2E_DATABASE_PREFIX = PREFIX;
  process.env.E2E_THROTTLE_PREFIX = base.GATEWAY_THROTTLE_PREFIX;
  process.env.E2E_JWT_SECRET = E2E_JWT_SECRET;
  process.env.E2E_INTERNAL_SECRET = E2E_INTERNAL_SECRET;
  process.env.E2E_ADMIN_EMAIL = E2E_ADMIN.email;
  process.env.E2E_ADMIN_PASSWORD = E2E_ADMIN.password;
  process.env.E2E_FILES_GRPC = `127.0.0.1:${E2E_PORTS.files}`;
  // What a test needs to start another gateway replica against the same services.
  process.env.E2E_PLATFORM_ENV = JSON.stringify(platform.env);
  // The gateway and the relay it runs as its child (ADR 0011), for tests that look at which holds a socket.
  process.env.E2E_GATEWAY_PID = String(platform.processes.gateway.pid);
  process.env.E2E_RELAY_PID = String(platform.processes.relay.pid);
}
