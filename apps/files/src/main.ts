import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { runGrpcService } from '@lexy/server-grpc';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadFilesConfig } from './config/files.config.js';

const config = configOrExit(loadFilesConfig);
const log = createLogger('files', config.LOG_LEVEL);
const app = await createApp(config);
const metrics = await runGrpcService(app, {
  log,
  metricsPort: config.FILES_METRICS_PORT,
  metricsHost: config.METRICS_HOST,
});
log.info({ address: config.FILES_GRPC_ADDRESS, metricsPort: metrics.port }, 'files gRPC service listening');
