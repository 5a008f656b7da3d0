import 'reflect-metadata';
import { exitOnConfigError } from '@lexy/server-config';
import { DomainErrorRpcFilter, GrpcRequestContextInterceptor, grpcServerOptions } from '@lexy/server-grpc';
import { createLogger, NestJsonLogger } from '@lexy/server-logging';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { loadQuotasConfig, type QuotasConfig } from './config/quotas.config.js';

async function bootstrap(config: QuotasConfig): Promise<void> {
  const logger = createLogger('quotas', config.LOG_LEVEL);
  const app = await NestFactory.createMicroservice(AppModule.register(config), {
    ...grpcServerOptions('quotas', config.QUOTAS_GRPC_ADDRESS),
    logger: new NestJsonLogger(logger),
  });
  app.useGlobalFilters(new DomainErrorRpcFilter());
  app.useGlobalInterceptors(new GrpcRequestContextInterceptor());
  app.enableShutdownHooks();
  await app.listen();
  logger.info({ address: config.QUOTAS_GRPC_ADDRESS }, 'quotas gRPC service listening');
}

let config: QuotasConfig;
try {
  config = loadQuotasConfig();
} catch (error) {
  exitOnConfigError(error);
}
await bootstrap(config);
