import { ObjectStorage, storageConfig } from '@lexy/server-storage';
import type { Provider } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';

export const OBJECT_STORAGE = Symbol('OBJECT_STORAGE');

export const objectStorageProvider: Provider = {
  provide: OBJECT_STORAGE,
  inject: [GATEWAY_CONFIG],
  useFactory: (config: GatewayConfig) => new ObjectStorage(storageConfig(config)),
};
