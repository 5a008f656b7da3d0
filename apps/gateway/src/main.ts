import 'reflect-metadata';
import { configOrExit } from '@lexy/server-config';
import type { ObjectStorage } from '@lexy/server-storage';
import { createGatewayApp } from './create-app.js';
import { loadGatewayConfig } from './config/gateway.config.js';
import { ensureBucketAtStart } from './files/ensure-bucket.js';
import { OBJECT_STORAGE } from './files/storage.provider.js';

const config = configOrExit(loadGatewayConfig);
const app = await createGatewayApp(config);
await ensureBucketAtStart(app.get<ObjectStorage>(OBJECT_STORAGE));
await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
