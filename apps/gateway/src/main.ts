import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { createLogger } from '@lexy/server-logging';
import { serveMetrics, ServiceMetrics } from '@lexy/server-metrics';
import { handleTerminationSignals, ShutdownState } from '@lexy/server-shutdown';
import type { ObjectStorage } from '@lexy/server-storage';
import { createGatewayApp } from './create-app.js';
import { loadGatewayConfig } from './config/gateway.config.js';
import { ensureBucketAtStart } from './files/ensure-bucket.js';
import { OBJECT_STORAGE } from './files/storage.provider.js';
import { RelayChild } from './relay/relay-child.js';
import { GatewayDrain } from './shutdown/gateway-drain.js';

const config = configOrExit(loadGatewayConfig);
const log = createLogger('gateway', config.LOG_LEVEL);
const app = await createGatewayApp(config);
await ensureBucketAtStart(app.get<ObjectStorage>(OBJECT_STORAGE));
if (config.RELAY_WS_ADDRESS === undefined) {
  // The devices' sockets go to the relay this gateway runs (ADR 0011); without it the gateway
  // could serve no /ws, so it ends too and its supervisor starts both again.
  app.get(RelayChild).start((code, signal) => {
    log.error({ code, signal }, 'the relay child process ended; the gateway ends too');
    process.exit(1);
  });
}
await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);

const shutdown = app.get(ShutdownState);
const metrics = app.get(ServiceMetrics);
// A port of its own, never the public one: metrics are not for the clients the gateway serves.
const metricsServer = await serveMetrics({
  metrics,
  port: config.GATEWAY_METRICS_PORT,
  host: config.METRICS_HOST,
  ready: () => !shutdown.draining,
});
handleTerminationSignals({
  shutdown,
  log,
  stop: async () => {
    const outcome = await app.get(GatewayDrain).drain();
    log.info(outcome, 'drained; closing');
    await app.close();
    await metricsServer.close();
  },
});
log.info(
  { port: config.GATEWAY_PORT, metricsPort: metricsServer.port, relayPid: app.get(RelayChild).pid },
  'gateway listening',
);
