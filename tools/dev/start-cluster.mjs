// `npm run start:cluster`: build, migrate and run the platform with two gateways, two relays and
// two cleanup workers on this machine, behind a round-robin proxy on http://localhost:8080.
import { buildAll, webAppBuilt, webProjectExists, WEB_ROOT } from './build.mjs';
import { CLUSTER_PORTS, startCluster } from '../platform/cluster.mjs';

console.log(`Building the platform${webProjectExists() ? ' and the web app' : ''} (cached after the first run)...`);
buildAll();

let cluster;
try {
  cluster = await startCluster();
} catch (error) {
  console.error(`\nThe Lexy Files cluster could not start:\n${error.preflight ? error.message : `  ${error.message}`}`);
  process.exit(1);
}

const { proxy, auth, files, quotas, relay, relay2, s3 } = CLUSTER_PORTS;
const { authMetrics, filesMetrics, quotasMetrics } = CLUSTER_PORTS;
const pad = (text, width = 38) => text.padEnd(width);
const webApp = webAppBuilt() ? 'the web app' : `the web app is not built (no index.html in ${WEB_ROOT})`;
const lines = [
  `  ${pad(`http://localhost:${proxy}/`)}${webApp}, through the round-robin proxy`,
  `  ${pad(`http://localhost:${proxy}/api/v1`)}REST API (each request to the next gateway)`,
  `  ${pad(`ws://localhost:${proxy}/ws`)}devices' WebSocket (each upgrade to the next gateway)`,
  '',
  '  Replicas (internal: reach them through the proxy):',
  ...cluster.gateways.map(
    (gateway, index) =>
      `  ${pad(`gateway ${index + 1}  ${gateway.url}`)}metrics ${gateway.metricsUrl}/metrics, runs relay ${index + 1}`,
  ),
  ...cluster.relays.map(
    (replica, index) => `  ${pad(`relay ${index + 1}    pid ${replica.pid}`)}metrics ${replica.metricsUrl}/metrics`,
  ),
  ...cluster.cleanups.map(
    (worker, index) => `  ${pad(`cleanup ${index + 1}  ${worker.url}`)}metrics ${worker.url}/metrics`,
  ),
  '',
  `  gRPC: auth 127.0.0.1:${auth}, files 127.0.0.1:${files}, quotas 127.0.0.1:${quotas}, relay 127.0.0.1:${relay} and :${relay2}`,
  `  metrics: auth http://127.0.0.1:${authMetrics}/metrics, files :${filesMetrics}, quotas :${quotasMetrics}`,
  `  http://127.0.0.1:${s3}  local S3 endpoint (data in .data/s3)`,
];
console.log(`\nThe Lexy Files cluster is running:\n${lines.join('\n')}\nPress Ctrl+C to stop everything.\n`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('Stopping the cluster...');
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
