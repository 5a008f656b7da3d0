import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import { createGatewayApp } from './create-app.js';
import { loadGatewayConfig } from './config/gateway.config.js';

const config = configOrExit(loadGatewayConfig);
const app = await createGatewayApp(config);
await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
