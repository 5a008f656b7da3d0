import 'reflect-metadata';
import { exitOnConfigError } from '@lexy/server-config';
import { DomainErrorRpcFilter, GrpcRequestContextInterceptor, grpcServerOptions } from '@lexy/server-grpc';
import { createLogger, NestJsonLogger } from '@lexy/server-logging';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { loadAuthConfig, type AuthConfig } from './config/auth.config.js';

async function bootstrap(config: AuthConfig): Promise<void> {
  const logger = createLogger('auth', config.LOG_LEVEL);
  const app = await NestFactory.createMicroservice(AppModule.register(config), {
    ...grpcServerOptions('auth', config.AUTH_GRPC_ADDRESS),
    logger: new NestJsonLogger(logger),
  });
  app.useGlobalFilters(new DomainErrorRpcFilter());
  app.useGlobalInterceptors(new GrpcRequestContextInterceptor());
  app.enableShutdownHooks();
  await app.listen();
  logger.info({ address: config.AUTH_GRPC_ADDRESS }, 'auth gRPC service listening');
}

let config: AuthConfig;
try {
  config = loadAuthConfig();
} catch (error) {
  exitOnConfigError(error);
}
await bootstrap(config);
