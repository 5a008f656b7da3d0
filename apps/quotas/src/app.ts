import 'reflect-metadata';
import { createGrpcMicroservice } from '@lexy/server-grpc';
import type { INestMicroservice } from '@nestjs/common';
import { AppModule, type QuotasOverrides } from './app.module.js';
import type { QuotasConfig } from './config/quotas.config.js';

/** The quotas gRPC microservice, not yet listening; main.ts and the integration tests share it. */
export function createApp(config: QuotasConfig, overrides: QuotasOverrides = {}): Promise<INestMicroservice> {
  return createGrpcMicroservice('quotas', AppModule.register(config, overrides), {
    address: config.QUOTAS_GRPC_ADDRESS,
    callerSecret: config.INTERNAL_CALLER_SECRET,
    logLevel: config.LOG_LEVEL,
    shutdownGraceSeconds: config.SHUTDOWN_GRACE_SECONDS,
  });
}
