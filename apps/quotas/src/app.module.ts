import { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from '@lexy/server-grpc';
import { databaseProviders, databaseReachable } from '@lexy/server-database';
import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { GroupAdminController } from './admin/group-admin.controller.js';
import { GroupAdminRepository } from './admin/group-admin.repository.js';
import { GroupAdminService } from './admin/group-admin.service.js';
import { QUOTAS_CONFIG, quotasDatabase, type QuotasConfig } from './config/quotas.config.js';
import { QUOTAS_SCHEMA } from './database/schema.js';
import { QuotaController } from './quotas/quota.controller.js';
import { QuotaRepository } from './quotas/quota.repository.js';
import { QuotaService } from './quotas/quota.service.js';
import { Clock, SystemClock } from './quotas/clock.js';
import { StorageMaintenanceController } from './quotas/storage-maintenance.controller.js';
import { StorageMaintenanceService } from './quotas/storage-maintenance.service.js';
import { TrafficCounters } from './quotas/traffic-counters.js';
import { TRAFFIC_COUNTERS, TrafficService } from './quotas/traffic.service.js';
import { REDIS, RedisCloser, redisProvider } from './redis/redis.providers.js';

/** What the integration tests replace. */
export interface QuotasOverrides {
  /** Replaces the system clock (tests cross day and month boundaries instead of waiting). */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register(config: QuotasConfig, overrides: QuotasOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      // Nest serves every service of lexy.quotas.v1 that has a controller, on the same server.
      controllers: [GrpcHealthController, QuotaController, StorageMaintenanceController, GroupAdminController],
      providers: [
        ...databaseProviders(quotasDatabase(config), QUOTAS_SCHEMA),
        { provide: QUOTAS_CONFIG, useValue: config },
        { provide: Clock, useValue: overrides.clock ?? new SystemClock() },
        redisProvider,
        RedisCloser,
        {
          provide: TRAFFIC_COUNTERS,
          inject: [REDIS],
          // Counters mirror one ledger, so they are namespaced by its database.
          useFactory: (redis: Redis) => new TrafficCounters(redis, `lexy:${config.QUOTAS_DATABASE}:`),
        },
        QuotaRepository,
        TrafficService,
        QuotaService,
        StorageMaintenanceService,
        GroupAdminRepository,
        GroupAdminService,
        {
          provide: READINESS_CHECKS,
          inject: [DataSource],
          useFactory: (dataSource: DataSource): ReadinessCheck[] => [databaseReachable(dataSource)],
        },
      ],
    };
  }
}
