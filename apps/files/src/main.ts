import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadFilesConfig } from './config/files.config.js';

const config = configOrExit(loadFilesConfig);
const app = await createApp(config);
app.enableShutdownHooks();
await app.listen();
createLogger('files', config.LOG_LEVEL).info({ address: config.FILES_GRPC_ADDRESS }, 'files gRPC service listening');
