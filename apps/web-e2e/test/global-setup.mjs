// Starts a private instance of the platform for the browser tests: fresh databases
// (lexy_web_e2e_*), a fresh S3 data folder, its own Redis prefixes, and ports that clash
// neither with `npm start` nor with the gateway's end-to-end suite (18080…, lexy_e2e_*).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, startPlatform } from '../../../tools/platform/platform.mjs';
import { MOBILE_WEB_ROOT, serveMobileWebBuild } from '../../../tools/mobile/serve-web-build.mjs';
import { freshInstance } from '../../../tools/platform/fresh-instance.mjs';

// E2E_INSTANCE (a small number, default 0) moves the ports and databases, as in gateway-e2e.
const INSTANCE = Number(process.env.E2E_INSTANCE ?? 0);
const shift = INSTANCE * 10;
export const WEB_E2E_PORTS = {
  gateway: 17080 + shift,
  s3: 17088 + shift,
  auth: 16051 + shift,
  files: 16052 + shift,
  quotas: 16053 + shift,
  cleanup: 16054 + shift,
  relay: 16055 + shift,
  relayWs: 16056 + shift,
  relayPeer: 16057 + shift,
  gatewayMetrics: 13050 + shift,
  authMetrics: 13051 + shift,
  filesMetrics: 13052 + shift,
  quotasMetrics: 13053 + shift,
  relayMetrics: 13054 + shift,
  /** The mobile app's web build, on an origin of its own as in a phone's web view. */
  mobileApp: 17089 + shift,
};
const PREFIX = INSTANCE === 0 ? 'lexy_web_e2e' : `lexy_web_e2e${INSTANCE}`;
/** The first administrator, created by the auth service at start (ADMIN_EMAIL/ADMIN_PASSWORD). */
export const WEB_E2E_ADMIN = { email: 'admin@web-e2e.lexy.test', password: 'web-e2e-admin-password-1' };
/**
 * The checkout's built web app (WEB_E2E_WEB_ROOT names another build); the tests fail, saying
 * so, while it is not built.
 */
export const WEB_ROOT = process.env.WEB_E2E_WEB_ROOT
  ? resolve(process.env.WEB_E2E_WEB_ROOT)
  : join(ROOT, 'apps/web/dist/browser');

export default async function globalSetup() {
  // The quotas service's traffic counters outlive its database in Redis (lexy:<database>:…).
  await freshInstance(PREFIX, [`lexy:${PREFIX}_quotas:*`]);

  const gatewayUrl = `http://127.0.0.1:${WEB_E2E_PORTS.gateway}`;
  const mobileAppUrl = `http://127.0.0.1:${WEB_E2E_PORTS.mobileApp}`;
  const logs = [];
  const base = {
    ...process.env,
    GATEWAY_WEB_ROOT: WEB_ROOT,
    // Share links must open this platform's pickup page.
    PUBLIC_URL: gatewayUrl,
    // The mobile app's web build calls the API from its own origin.
    GATEWAY_CLIENT_ORIGINS: mobileAppUrl,
    // The admin console's tests sign in as this first administrator.
    ADMIN_EMAIL: WEB_E2E_ADMIN.email,
    ADMIN_PASSWORD: WEB_E2E_ADMIN.password,
    RELAY_REDIS_PREFIX: `lexy:${PREFIX}:relay:`,
    GATEWAY_THROTTLE_PREFIX: `lexy:${PREFIX}:throttle:`,
    // A browser run looks codes up from one address again and again; the limits have tests of
    // their own in gateway-e2e.
    PICKUP_FAILURES_PER_MINUTE: '100000',
    PICKUP_FAILURES_PER_HOUR: '1000000',
    PICKUP_GLOBAL_FAILURE_BUDGET: '100000000',
    PICKUP_REDIS_PREFIX: `lexy:${PREFIX}:${Date.now().toString(36)}:pickup:`,
    // The cleanup worker ticks every second, so that a retention ended by SQL (files.e2e) is
    // marked expired at once.
    CLEANUP_INTERVAL_SECONDS: '1',
  };
  const platform = await startPlatform({
    base,
    ports: WEB_E2E_PORTS,
    databasePrefix: PREFIX,
    dataDir: mkdtempSync(join(tmpdir(), 'lexy-web-e2e-s3-')),
    // Keep the output of a passing run short; show the platform's logs only on failure.
    log: (name, line) => logs.push(`[${name}] ${line}`),
  }).catch((error) => {
    console.error(logs.slice(-50).join('\n'));
    throw error;
  });
  globalThis.__LEXY_WEB_PLATFORM__ = platform;
  globalThis.__LEXY_MOBILE_APP__ = await serveMobileWebBuild({
    port: WEB_E2E_PORTS.mobileApp,
    serverUrl: platform.gatewayUrl,
  });
  process.env.WEB_E2E_MOBILE_URL = mobileAppUrl;
  process.env.WEB_E2E_MOBILE_ROOT = MOBILE_WEB_ROOT;
  process.env.WEB_E2E_URL = platform.gatewayUrl;
  process.env.WEB_E2E_ROOT = WEB_ROOT;
  // The proof-of-work test trips the global pickup budget by writing its counter under this prefix.
  process.env.WEB_E2E_PICKUP_REDIS_PREFIX = base.PICKUP_REDIS_PREFIX;
  // The files service's database, for tests that move a file's retention by the database clock.
  process.env.WEB_E2E_FILES_DATABASE = `${PREFIX}_files`;
  process.env.WEB_E2E_ADMIN_EMAIL = WEB_E2E_ADMIN.email;
  process.env.WEB_E2E_ADMIN_PASSWORD = WEB_E2E_ADMIN.password;
}
