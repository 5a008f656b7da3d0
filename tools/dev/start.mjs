// `npm start`: build, migrate and run the whole platform on its local defaults.
import { buildAll, webAppBuilt, webProjectExists, WEB_ROOT } from './build.mjs';
import { DEFAULT_PORTS, startPlatform } from '../platform/platform.mjs';

console.log(`Building the platform${webProjectExists() ? ' and the web app' : ''} (cached after the first run)...`);
buildAll();

let platform;
try {
  platform = await startPlatform();
} catch (error) {
  console.error(`\nLexy Files could not start:\n${error.preflight ? error.message : `  ${error.message}`}`);
  process.exit(1);
}

const { gateway, auth, files, quotas, relay, relayWs, s3, cleanup } = DEFAULT_PORTS;
const webApp = webAppBuilt() ? 'the web app' : `the web app is not built (no index.html in ${WEB_ROOT})`;
console.log(`
Lexy Files is running:
  http://localhost:${gateway}/                ${webApp}
  http://localhost:${gateway}/api/v1          REST API of the gateway
  http://localhost:${gateway}/api/docs        API documentation (OpenAPI at /api/v1/openapi.json)
  http://localhost:${gateway}/api/v1/health   health
  ws://localhost:${gateway}/ws                devices' WebSocket (served by the relay on 127.0.0.1:${relayWs})
  http://127.0.0.1:${s3}                  local S3 endpoint (data in .data/s3)
  http://127.0.0.1:${cleanup}/metrics         cleanup worker (Prometheus metrics, BullMQ queue counts)
  gRPC: auth 127.0.0.1:${auth}, files 127.0.0.1:${files}, quotas 127.0.0.1:${quotas}, relay 127.0.0.1:${relay}
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
