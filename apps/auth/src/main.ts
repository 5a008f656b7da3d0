import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { runGrpcService } from '@lexy/server-grpc';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadAuthConfig } from './config/auth.config.js';

const config = configOrExit(loadAuthConfig);
const log = createLogger('auth', config.LOG_LEVEL);
const app = await createApp(config);
const metrics = await runGrpcService(app, {
  log,
  metricsPort: config.AUTH_METRICS_PORT,
  metricsHost: config.METRICS_HOST,
});
log.info({ address: config.AUTH_GRPC_ADDRESS, metricsPort: metrics.port }, 'auth gRPC service listening');
