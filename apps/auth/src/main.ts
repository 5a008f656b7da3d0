import { configOrExit } from '@lexy/server-config';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadAuthConfig } from './config/auth.config.js';

const config = configOrExit(loadAuthConfig);
const app = await createApp(config);
app.enableShutdownHooks();
await app.listen();
createLogger('auth', config.LOG_LEVEL).info({ address: config.AUTH_GRPC_ADDRESS }, 'auth gRPC service listening');
