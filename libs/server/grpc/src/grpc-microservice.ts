import type { GrpcServiceName } from '@lexy/contracts-grpc';
import { createLogger, NestJsonLogger, type LogLevel } from '@lexy/server-logging';
import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DomainErrorRpcFilter } from './domain-error.filter.js';
import { grpcServerOptions } from './grpc-options.js';
import { GrpcRequestContextInterceptor } from './request-context.interceptor.js';

export interface GrpcServiceSettings {
  address: string;
  /** Verifies the caller token the gateway signs into each call's metadata. */
  callerSecret: string;
  logLevel: LogLevel;
}

/**
 * A domain service as a Nest gRPC microservice, not yet listening: JSON logs, DomainErrors
 * sent as gRPC statuses with their code, and each call's request id and verified caller in
 * the request context. Every service's main.ts and integration tests build it this way.
 */
export async function createGrpcMicroservice(
  service: GrpcServiceName,
  module: DynamicModule,
  settings: GrpcServiceSettings,
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module, {
    ...grpcServerOptions(service, settings.address),
    logger: new NestJsonLogger(createLogger(service, settings.logLevel)),
  });
  app.useGlobalFilters(new DomainErrorRpcFilter());
  app.useGlobalInterceptors(new GrpcRequestContextInterceptor(settings.callerSecret));
  return app;
}
