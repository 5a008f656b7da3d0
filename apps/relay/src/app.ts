import 'reflect-metadata';
import { createGrpcMicroservice } from '@lexy/server-grpc';
import type { INestMicroservice } from '@nestjs/common';
import { AppModule } from './app.module.js';
import type { RelayConfig } from './config/relay.config.js';

/** The relay gRPC microservice, not yet listening; main.ts and the integration tests share it. */
export function createApp(config: RelayConfig): Promise<INestMicroservice> {
  return createGrpcMicroservice('relay', AppModule.register(config), {
    address: config.RELAY_GRPC_ADDRESS,
    callerSecret: config.INTERNAL_CALLER_SECRET,
    logLevel: config.LOG_LEVEL,
  });
}
