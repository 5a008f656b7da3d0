import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadQuotasConfig } from './config/quotas.config.js';

const config = configOrExit(loadQuotasConfig);
const app = await createApp(config);
app.enableShutdownHooks();
await app.listen();
createLogger('quotas', config.LOG_LEVEL).info({ address: config.QUOTAS_GRPC_ADDRESS }, 'quotas gRPC service listening');
