import 'reflect-metadata';
import { createGrpcMicroservice } from '@lexy/server-grpc';
import type { INestMicroservice } from '@nestjs/common';
import { AppModule } from './app.module.js';
import type { FilesConfig } from './config/files.config.js';
import type { FilesOverrides } from './files/files.providers.js';

/** The files gRPC microservice, not yet listening; main.ts and the integration tests share it. */
export function createApp(config: FilesConfig, overrides: FilesOverrides = {}): Promise<INestMicroservice> {
  return createGrpcMicroservice('files', AppModule.register(config, overrides), {
    address: config.FILES_GRPC_ADDRESS,
    callerSecret: config.INTERNAL_CALLER_SECRET,
    logLevel: config.LOG_LEVEL,
    shutdownGraceSeconds: config.SHUTDOWN_GRACE_SECONDS,
  });
}
