import 'reflect-metadata';
import { DomainErrorRpcFilter, GrpcRequestContextInterceptor, grpcServerOptions } from '@lexy/server-grpc';
import { createLogger, NestJsonLogger } from '@lexy/server-logging';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, type AppOverrides } from './app.module.js';
import type { AuthConfig } from './config/auth.config.js';

/** Builds the auth gRPC microservice (not yet listening); main.ts and the integration tests share it. */
export async function createApp(config: AuthConfig, overrides: AppOverrides = {}): Promise<INestMicroservice> {
  const logger = createLogger('auth', config.LOG_LEVEL);
  const app = await NestFactory.createMicroservice(AppModule.register(config, overrides), {
    ...grpcServerOptions('auth', config.AUTH_GRPC_ADDRESS),
    logger: new NestJsonLogger(logger),
  });
  app.useGlobalFilters(new DomainErrorRpcFilter());
  app.useGlobalInterceptors(new GrpcRequestContextInterceptor(config.INTERNAL_CALLER_SECRET));
  return app;
}
