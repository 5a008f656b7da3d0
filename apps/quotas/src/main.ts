import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { runGrpcService } from '@lexy/server-grpc';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadQuotasConfig } from './config/quotas.config.js';

const config = configOrExit(loadQuotasConfig);
const log = createLogger('quotas', config.LOG_LEVEL);
const app = await createApp(config);
const metrics = await runGrpcService(app, {
  log,
  metricsPort: config.QUOTAS_METRICS_PORT,
  metricsHost: config.METRICS_HOST,
});
log.info({ address: config.QUOTAS_GRPC_ADDRESS, metricsPort: metrics.port }, 'quotas gRPC service listening');
