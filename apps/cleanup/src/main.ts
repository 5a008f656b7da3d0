import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { createLogger } from '@lexy/server-logging';
import { createCleanupApp } from './app.js';
import { loadCleanupConfig } from './config/cleanup.config.js';

const config = configOrExit(loadCleanupConfig);
const app = await createCleanupApp(config);
await app.listen(config.CLEANUP_METRICS_PORT);
createLogger('cleanup', config.LOG_LEVEL).info(
  {
    metricsPort: config.CLEANUP_METRICS_PORT,
    files: config.FILES_GRPC_ADDRESS,
    quotas: config.QUOTAS_GRPC_ADDRESS,
    queuePrefix: config.QUEUE_PREFIX,
    intervalSeconds: config.CLEANUP_INTERVAL_SECONDS,
    batchSize: config.CLEANUP_BATCH_SIZE,
  },
  'cleanup worker running: GET /metrics and /health',
);
