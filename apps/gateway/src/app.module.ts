import { ServiceMetrics } from '@lexy/server-metrics';
import { ShutdownState } from '@lexy/server-shutdown';
import { RedisTokenBucket } from '@lexy/server-throttle';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AdminAuditController } from './admin/admin-audit.controller.js';
import { AdminFilesController } from './admin/admin-files.controller.js';
import { AdminGroupsController } from './admin/admin-groups.controller.js';
import { AdminStatsController } from './admin/admin-stats.controller.js';
import { AdminUsersController } from './admin/admin-users.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config.js';
import { DownloadService } from './files/download.service.js';
import { DownloadPasses } from './files/download-passes.js';
import { FilesController } from './files/files.controller.js';
import { ActiveDownloads } from './files/active-downloads.js';
import { pickupViewCacheProvider, PickupViewInvalidations } from './files/pickup-view-invalidations.js';
import { objectStorageProvider } from './files/storage.provider.js';
import { UploadService } from './files/upload.service.js';
import { grpcClientProviders } from './grpc/grpc-clients.js';
import { HealthController } from './health/health.controller.js';
import { ErrorEnvelopeFilter } from './http/error-envelope.filter.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { GatewayDrain } from './shutdown/gateway-drain.js';
import { createValidationPipe } from './http/validation.pipe.js';
import { AccessTokenStrategy } from './identity/access-token.strategy.js';
import { CallerGuard } from './identity/caller.guard.js';
import { ClientAddresses } from './identity/client-addresses.js';
import { RelayChild } from './relay/relay-child.js';
import { WebSocketForwarding } from './relay/websocket-forwarding.js';
import { GroupGuard } from './identity/group.guard.js';
import { RevocationList } from './identity/revocation-list.js';
import { PickupChallengeController } from './pickup-guard/pickup-challenge.controller.js';
import { pickupGuardProviders } from './pickup-guard/pickup-guard.providers.js';
import { TokenVerifier } from './identity/token-verifier.js';
import { DevicesController } from './relay/devices.controller.js';
import { TransfersController } from './relay/transfers.controller.js';
import { REDIS, redisProvider, redisSubscriberProvider, RedisConnectionsCloser } from './redis/redis.provider.js';
import { DownloadThrottle, TOKEN_BUCKET_STORE } from './throttle/download-throttle.js';
import { GroupLimitsCache } from './throttle/group-limits.cache.js';
import { TusUploadService } from './uploads/tus-upload.service.js';
import { UploadsController } from './uploads/uploads.controller.js';

/** The process's metrics registry and shutdown, made by createGatewayApp. */
export interface GatewayOperations {
  metrics: ServiceMetrics;
  shutdown: ShutdownState;
}

@Module({})
export class AppModule {
  static register(config: GatewayConfig, operations: GatewayOperations): DynamicModule {
    return {
      module: AppModule,
      // PickupChallengeController before FilesController, whose files/:id would take files/pickup-challenge.
      controllers: [
        AuthController,
        UploadsController,
        PickupChallengeController,
        FilesController,
        HealthController,
        AdminUsersController,
        AdminFilesController,
        AdminGroupsController,
        AdminStatsController,
        AdminAuditController,
        DevicesController,
        TransfersController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: ServiceMetrics, useValue: operations.metrics },
        { provide: ShutdownState, useValue: operations.shutdown },
        GatewayMetrics,
        GatewayDrain,
        { provide: APP_FILTER, useClass: ErrorEnvelopeFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        ...grpcClientProviders,
        objectStorageProvider,
        redisProvider,
        redisSubscriberProvider,
        RedisConnectionsCloser,
        ClientAddresses,
        // Started by main.ts when RELAY_WS_ADDRESS is unset (ADR 0011).
        { provide: RelayChild, useValue: new RelayChild(config.GATEWAY_RELAY_ENTRY, process.env) },
        WebSocketForwarding,
        TokenVerifier,
        RevocationList,
        AccessTokenStrategy,
        CallerGuard,
        GroupGuard,
        UploadService,
        DownloadService,
        DownloadPasses,
        pickupViewCacheProvider,
        PickupViewInvalidations,
        ActiveDownloads,
        GroupLimitsCache,
        { provide: TOKEN_BUCKET_STORE, inject: [REDIS], useFactory: (redis: Redis) => new RedisTokenBucket(redis) },
        DownloadThrottle,
        TusUploadService,
        ...pickupGuardProviders,
      ],
    };
  }
}
