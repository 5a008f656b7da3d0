import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { createLogger } from '@lexy/server-logging';
import { createApp } from './app.js';
import { loadRelayConfig } from './config/relay.config.js';

const config = configOrExit(loadRelayConfig);
const app = await createApp(config);
app.enableShutdownHooks();
await app.listen();
createLogger('relay', config.LOG_LEVEL).info(
  { address: config.RELAY_GRPC_ADDRESS, webSocketPort: config.RELAY_WS_PORT },
  'relay gRPC service and /ws listening',
);
