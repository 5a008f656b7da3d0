import { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from '@lexy/server-grpc';
import { databaseProviders, databaseReachable } from '@lexy/server-database';
import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FileAdminController } from './admin/file-admin.controller.js';
import { FileAdminRepository } from './admin/file-admin.repository.js';
import { FileAdminService } from './admin/file-admin.service.js';
import { OwnerGroups } from './admin/owner-groups.js';
import { FILES_CONFIG, filesDatabase, type FilesConfig } from './config/files.config.js';
import { FILES_SCHEMA } from './database/schema.js';
import { FileChanges, RedisCloser, redisProvider } from './files/file-changes.js';
import { FileLifecycleController } from './files/file-lifecycle.controller.js';
import { FilesController } from './files/files.controller.js';
import { filesProviders, type FilesOverrides } from './files/files.providers.js';
import { FilesRepository } from './files/files.repository.js';
import { FilesService } from './files/files.service.js';
import { LifecycleRepository } from './files/lifecycle.repository.js';
import { LifecycleService } from './files/lifecycle.service.js';
import { PickupService } from './files/pickup.service.js';
import { PinAttemptsRepository } from './files/pin-attempts.repository.js';
import { PinGate } from './files/pin-gate.js';
import { PinHasher } from './files/pin-hasher.js';
import { PurgeQueue } from './files/purge-queue.js';

@Module({})
export class AppModule {
  static register(config: FilesConfig, overrides: FilesOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      // Every service of lexy.files.v1 with a controller here is served: FileService for the
      // gateway, FileLifecycleService for the cleanup worker, FileAdminService for the
      // gateway's admin routes.
      controllers: [GrpcHealthController, FilesController, FileLifecycleController, FileAdminController],
      providers: [
        { provide: FILES_CONFIG, useValue: config },
        ...databaseProviders(filesDatabase(config), FILES_SCHEMA),
        redisProvider,
        RedisCloser,
        FileChanges,
        FilesRepository,
        FilesService,
        PurgeQueue,
        LifecycleRepository,
        LifecycleService,
        PickupService,
        FileAdminRepository,
        FileAdminService,
        OwnerGroups,
        PinAttemptsRepository,
        PinHasher,
        PinGate,
        ...filesProviders(overrides),
        {
          provide: READINESS_CHECKS,
          inject: [DataSource],
          useFactory: (dataSource: DataSource): ReadinessCheck[] => [databaseReachable(dataSource)],
        },
      ],
    };
  }
}
