import 'reflect-metadata';
import { exitOnConfigError } from '@lexy/server-config';
import { createGatewayApp } from './create-app.js';
import { loadGatewayConfig, type GatewayConfig } from './config/gateway.config.js';

let config: GatewayConfig;
try {
  config = loadGatewayConfig();
} catch (error) {
  exitOnConfigError(error);
}
const app = await createGatewayApp(config);
await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
