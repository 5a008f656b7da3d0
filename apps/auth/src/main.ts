import { exitOnConfigError } from '@lexy/server-config';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadAuthConfig, type AuthConfig } from './config/auth.config.js';

async function bootstrap(config: AuthConfig): Promise<void> {
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen();
  createLogger('auth', config.LOG_LEVEL).info({ address: config.AUTH_GRPC_ADDRESS }, 'auth gRPC service listening');
}

let config: AuthConfig;
try {
  config = loadAuthConfig();
} catch (error) {
  exitOnConfigError(error);
}
await bootstrap(config);
