import 'reflect-metadata';
import { DomainErrorRpcFilter, GrpcRequestContextInterceptor, grpcServerOptions } from '@lexy/server-grpc';
import { createLogger, NestJsonLogger } from '@lexy/server-logging';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import type { QuotasConfig } from './config/quotas.config.js';

/** The quotas gRPC microservice, not yet listening; main.ts and the integration tests share it. */
export async function createApp(config: QuotasConfig): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(AppModule.register(config), {
    ...grpcServerOptions('quotas', config.QUOTAS_GRPC_ADDRESS),
    logger: new NestJsonLogger(createLogger('quotas', config.LOG_LEVEL)),
  });
  app.useGlobalFilters(new DomainErrorRpcFilter());
  app.useGlobalInterceptors(new GrpcRequestContextInterceptor(config.INTERNAL_CALLER_SECRET));
  return app;
}
