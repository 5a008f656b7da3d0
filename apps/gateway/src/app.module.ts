import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AdminUsersController } from './admin/admin-users.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config.js';
import { DownloadService } from './files/download.service.js';
import { FilesController } from './files/files.controller.js';
import { objectStorageProvider } from './files/storage.provider.js';
import { UploadService } from './files/upload.service.js';
import { grpcClientProviders } from './grpc/grpc-clients.js';
import { HealthController } from './health/health.controller.js';
import { ErrorEnvelopeFilter } from './http/error-envelope.filter.js';
import { createValidationPipe } from './http/validation.pipe.js';
import { AccessTokenStrategy } from './identity/access-token.strategy.js';
import { CallerGuard } from './identity/caller.guard.js';
import { ClientAddresses } from './identity/client-addresses.js';
import { GroupGuard } from './identity/group.guard.js';
import { RevocationList } from './identity/revocation-list.js';
import { TokenVerifier } from './identity/token-verifier.js';
import { redisProvider } from './redis/redis.provider.js';

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [AuthController, FilesController, HealthController, AdminUsersController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ErrorEnvelopeFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        ...grpcClientProviders,
        objectStorageProvider,
        redisProvider,
        ClientAddresses,
        TokenVerifier,
        RevocationList,
        AccessTokenStrategy,
        CallerGuard,
        GroupGuard,
        UploadService,
        DownloadService,
      ],
    };
  }
}
