import 'reflect-metadata';
import { exitOnConfigError } from '@lexy/server-config';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadFilesConfig, type FilesConfig } from './config/files.config.js';

async function bootstrap(config: FilesConfig): Promise<void> {
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen();
  createLogger('files', config.LOG_LEVEL).info({ address: config.FILES_GRPC_ADDRESS }, 'files gRPC service listening');
}

let config: FilesConfig;
try {
  config = loadFilesConfig();
} catch (error) {
  exitOnConfigError(error);
}
await bootstrap(config);
