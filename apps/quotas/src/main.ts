import 'reflect-metadata';
import { exitOnConfigError } from '@lexy/server-config';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadQuotasConfig, type QuotasConfig } from './config/quotas.config.js';

async function bootstrap(config: QuotasConfig): Promise<void> {
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen();
  createLogger('quotas', config.LOG_LEVEL).info(
    { address: config.QUOTAS_GRPC_ADDRESS },
    'quotas gRPC service listening',
  );
}

let config: QuotasConfig;
try {
  config = loadQuotasConfig();
} catch (error) {
  exitOnConfigError(error);
}
await bootstrap(config);
