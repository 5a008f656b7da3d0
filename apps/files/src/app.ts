import 'reflect-metadata';
import { DomainErrorRpcFilter, GrpcRequestContextInterceptor, grpcServerOptions } from '@lexy/server-grpc';
import { createLogger, NestJsonLogger } from '@lexy/server-logging';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import type { FilesConfig } from './config/files.config.js';
import type { FilesOverrides } from './files/files.providers.js';

/** The files gRPC microservice, ready to listen; main.ts and the integration tests share it. */
export async function createApp(config: FilesConfig, overrides: FilesOverrides = {}): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(AppModule.register(config, overrides), {
    ...grpcServerOptions('files', config.FILES_GRPC_ADDRESS),
    logger: new NestJsonLogger(createLogger('files', config.LOG_LEVEL)),
  });
  app.useGlobalFilters(new DomainErrorRpcFilter());
  app.useGlobalInterceptors(new GrpcRequestContextInterceptor(config.INTERNAL_CALLER_SECRET));
  return app;
}
