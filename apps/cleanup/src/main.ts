import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { createLogger } from '@lexy/server-logging';
import { handleTerminationSignals, ShutdownState } from '@lexy/server-shutdown';
import { createCleanupApp } from './app.js';
import { loadCleanupConfig } from './config/cleanup.config.js';

const config = configOrExit(loadCleanupConfig);
const log = createLogger('cleanup', config.LOG_LEVEL);
const app = await createCleanupApp(config);
await app.listen(config.CLEANUP_METRICS_PORT);
const shutdown = app.get(ShutdownState);
// Draining, /health is 503 at once; closing the application lets the running jobs end their batch.
handleTerminationSignals({ shutdown, log, stop: () => app.close() });
log.info(
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
