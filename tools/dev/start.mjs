// `npm start`: build, migrate and run the whole platform on its local defaults.
import { buildAll, webAppBuilt, webProjectExists, WEB_ROOT } from './build.mjs';
import { DEFAULT_PORTS, startPlatform } from '../platform/platform.mjs';
import { mobileWebBuilt, serveMobileWebBuild } from '../mobile/serve-web-build.mjs';

/** The mobile app's web build, at Ionic's usual port; the gateway lets its origin in. */
const MOBILE_PORT = Number(process.env.MOBILE_WEB_PORT ?? 8100);
const mobileOrigins = [`http://localhost:${MOBILE_PORT}`, `http://127.0.0.1:${MOBILE_PORT}`];

console.log(`Building the platform${webProjectExists() ? ' and the web app' : ''} (cached after the first run)...`);
buildAll();

let platform;
try {
  const clientOrigins = [process.env.GATEWAY_CLIENT_ORIGINS, ...mobileOrigins].filter(Boolean).join(',');
  platform = await startPlatform({ base: { ...process.env, GATEWAY_CLIENT_ORIGINS: clientOrigins } });
} catch (error) {
  console.error(`\nLexy Files could not start:\n${error.preflight ? error.message : `  ${error.message}`}`);
  process.exit(1);
}

const { gateway, auth, files, quotas, relay, s3, cleanup } = DEFAULT_PORTS;
const { gatewayMetrics, authMetrics, filesMetrics, quotasMetrics, relayMetrics } = DEFAULT_PORTS;
const mobile = mobileWebBuilt()
  ? await serveMobileWebBuild({ host: '0.0.0.0', port: MOBILE_PORT, serverUrl: `http://localhost:${gateway}` }).then(
      () => 'the mobile app (web build; the phone apps: apps/mobile/NATIVE.md)',
      (error) => `the mobile app's web build could not be served: ${error.message}`,
    )
  : 'the mobile app is not built (npx nx run mobile:build)';
const webApp = webAppBuilt() ? 'the web app' : `the web app is not built (no index.html in ${WEB_ROOT})`;
console.log(`
Lexy Files is running:
  http://localhost:${gateway}/                ${webApp}
  http://localhost:${MOBILE_PORT}/                ${mobile}
  http://localhost:${gateway}/api/v1          REST API of the gateway
  http://localhost:${gateway}/api/docs        API documentation (OpenAPI at /api/v1/openapi.json)
  http://localhost:${gateway}/api/v1/health   health
  ws://localhost:${gateway}/ws                devices' WebSocket (handed to the relay the gateway runs, ADR 0011)
  http://127.0.0.1:${s3}                  local S3 endpoint (data in .data/s3)
  http://127.0.0.1:${cleanup}/metrics         cleanup worker (Prometheus metrics, BullMQ queue counts)
  gRPC: auth 127.0.0.1:${auth}, files 127.0.0.1:${files}, quotas 127.0.0.1:${quotas}, relay 127.0.0.1:${relay}
  http://127.0.0.1:${gatewayMetrics}/metrics         gateway metrics (an internal port, not the public one)
  http://127.0.0.1:${authMetrics}/metrics         auth metrics
  http://127.0.0.1:${filesMetrics}/metrics         files metrics
  http://127.0.0.1:${quotasMetrics}/metrics         quotas metrics
  http://127.0.0.1:${relayMetrics}/metrics         relay metrics
  (each metrics port also answers /health: 503 while its service drains after SIGTERM)
Press Ctrl+C to stop.
`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('Stopping...');
  await platform.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
