import 'reflect-metadata';
import { exitOnConfigError } from '@lexy/server-config';
import { DomainErrorRpcFilter, GrpcRequestContextInterceptor, grpcServerOptions } from '@lexy/server-grpc';
import { createLogger, NestJsonLogger } from '@lexy/server-logging';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { loadFilesConfig, type FilesConfig } from './config/files.config.js';

async function bootstrap(config: FilesConfig): Promise<void> {
  const logger = createLogger('files', config.LOG_LEVEL);
  const app = await NestFactory.createMicroservice(AppModule.register(config), {
    ...grpcServerOptions('files', config.FILES_GRPC_ADDRESS),
    logger: new NestJsonLogger(logger),
  });
  app.useGlobalFilters(new DomainErrorRpcFilter());
  app.useGlobalInterceptors(new GrpcRequestContextInterceptor());
  app.enableShutdownHooks();
  await app.listen();
  logger.info({ address: config.FILES_GRPC_ADDRESS }, 'files gRPC service listening');
}

let config: FilesConfig;
try {
  config = loadFilesConfig();
} catch (error) {
  exitOnConfigError(error);
}
await bootstrap(config);
