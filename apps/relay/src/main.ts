import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { runGrpcService } from '@lexy/server-grpc';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadRelayConfig } from './config/relay.config.js';
import { RelayDrain } from './socket/relay-drain.js';

const config = configOrExit(loadRelayConfig);
const log = createLogger('relay', config.LOG_LEVEL);
const app = await createApp(config);
const metrics = await runGrpcService(app, {
  log,
  metricsPort: config.RELAY_METRICS_PORT,
  metricsHost: config.METRICS_HOST,
  // The devices' sockets and their transfers drain beside the gRPC calls, in the same grace period.
  drainAlso: (shutdown) => app.get(RelayDrain).drain(shutdown),
});
if (config.RELAY_WS_FROM_PARENT) {
  // The gateway that ran this relay is gone: no socket will be handed over any more, so the
  // relay drains as on SIGTERM, its open sockets finishing their transfers (ADR 0011).
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
log.info(
  {
    address: config.RELAY_GRPC_ADDRESS,
    webSocketPort: config.RELAY_WS_PORT,
    metricsPort: metrics.port,
  },
  'relay gRPC service and /ws listening',
);
