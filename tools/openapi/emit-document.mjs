// Child process of generate.mjs: builds the gateway's Nest application from its compiled dist
// with the development defaults of its config, and prints its OpenAPI document on stdout.
// The app is created but never listens or initialises, so no database, Redis or service is
// needed; the process exits at once, leaving any connection attempt behind.
import 'reflect-metadata';
import { createGatewayApp } from '../../apps/gateway/dist/create-app.js';
import { loadGatewayConfig } from '../../apps/gateway/dist/config/gateway.config.js';
import { buildOpenApiDocument } from '../../apps/gateway/dist/openapi/openapi.js';

const config = loadGatewayConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
const app = await createGatewayApp(config);
const document = buildOpenApiDocument(app);
process.stdout.write(JSON.stringify(document), () => process.exit(0));
