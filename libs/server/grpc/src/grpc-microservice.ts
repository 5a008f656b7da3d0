import type { GrpcServiceName } from '@lexy/contracts-grpc';
import { createLogger, NestJsonLogger, type LogLevel } from '@lexy/server-logging';
import { ServiceMetrics } from '@lexy/server-metrics';
import { ShutdownState } from '@lexy/server-shutdown';
import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DomainErrorRpcFilter } from './domain-error.filter.js';
import { GrpcMetricsInterceptor } from './grpc-metrics.interceptor.js';
import { grpcServerOptions } from './grpc-options.js';
import { GrpcRequestContextInterceptor } from './request-context.interceptor.js';

/** SHUTDOWN_GRACE_SECONDS' default, for a service built without its configuration (tests). */
const DEFAULT_GRACE_SECONDS = 25;

export interface GrpcServiceSettings {
  address: string;
  /** Verifies the caller token the gateway signs into each call's metadata. */
  callerSecret: string;
  logLevel: LogLevel;
  /** How long the service drains after SIGTERM (SHUTDOWN_GRACE_SECONDS). */
  shutdownGraceSeconds?: number;
  /** The service's metrics; a registry of its own when left out. */
  metrics?: ServiceMetrics;
}

/**
 * The process-wide ServiceMetrics and ShutdownState as a global module: the service's
 * providers inject them (the health check reads the shutdown, the relay counts its bytes).
 */
export function operationsModule(metrics: ServiceMetrics, shutdown: ShutdownState): DynamicModule {
  class OperationsModule {}
  return {
    module: OperationsModule,
    global: true,
    providers: [
      { provide: ServiceMetrics, useValue: metrics },
      { provide: ShutdownState, useValue: shutdown },
    ],
    exports: [ServiceMetrics, ShutdownState],
  };
}

/**
 * A domain service as a Nest gRPC microservice, not yet listening: JSON logs, DomainErrors
 * sent as gRPC statuses with their code, each call timed (lexy_grpc_server_handling_seconds)
 * and run with its request id and verified caller in the request context, and ServiceMetrics
 * and ShutdownState for its providers. Every service's main.ts and integration tests build it
 * this way; main.ts then runs it with runGrpcService.
 */
export async function createGrpcMicroservice(
  service: GrpcServiceName,
  module: DynamicModule,
  settings: GrpcServiceSettings,
): Promise<INestMicroservice> {
  const metrics = settings.metrics ?? new ServiceMetrics(service);
  const shutdown = new ShutdownState((settings.shutdownGraceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000);
  shutdown.onDrain(() => metrics.markDraining());
  const withOperations: DynamicModule = {
    ...module,
    imports: [...(module.imports ?? []), operationsModule(metrics, shutdown)],
  };
  const app = await NestFactory.createMicroservice(withOperations, {
    ...grpcServerOptions(service, settings.address),
    logger: new NestJsonLogger(createLogger(service, settings.logLevel)),
  });
  app.useGlobalFilters(new DomainErrorRpcFilter());
  app.useGlobalInterceptors(
    new GrpcMetricsInterceptor(metrics),
    new GrpcRequestContextInterceptor(settings.callerSecret),
  );
  return app;
}
