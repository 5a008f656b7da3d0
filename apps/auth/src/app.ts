import 'reflect-metadata';
import { createGrpcMicroservice } from '@lexy/server-grpc';
import type { INestMicroservice } from '@nestjs/common';
import { AppModule, type AppOverrides } from './app.module.js';
import type { AuthConfig } from './config/auth.config.js';

/** The auth gRPC microservice, not yet listening; main.ts and the integration tests share it. */
export function createApp(config: AuthConfig, overrides: AppOverrides = {}): Promise<INestMicroservice> {
  return createGrpcMicroservice('auth', AppModule.register(config, overrides), {
    address: config.AUTH_GRPC_ADDRESS,
    callerSecret: config.INTERNAL_CALLER_SECRET,
    logLevel: config.LOG_LEVEL,
    shutdownGraceSeconds: config.SHUTDOWN_GRACE_SECONDS,
  });
}
