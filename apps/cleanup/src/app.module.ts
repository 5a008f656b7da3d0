import { createLogger } from '@lexy/server-logging';
import { ServiceMetrics } from '@lexy/server-metrics';
import { ShutdownState } from '@lexy/server-shutdown';
import { ObjectStorage, storageConfig } from '@lexy/server-storage';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CLEANUP_CONFIG, type CleanupConfig } from './config/cleanup.config.js';
import {
  CLEANUP_STORAGE,
  FILE_LIFECYCLE,
  RELAY_MAINTENANCE,
  STORAGE_MAINTENANCE,
  type CleanupStorage,
  type FileLifecycle,
  type RelayMaintenance,
  type StorageMaintenance,
} from './dependencies.js';
import { MaintenanceConnections } from './grpc/maintenance-clients.js';
import { HealthController } from './http/health.controller.js';
import { MetricsController } from './http/metrics.controller.js';
import { AbandonJob } from './jobs/abandon.job.js';
import { ExpireOffersJob } from './jobs/expire-offers.job.js';
import { ExpireJob } from './jobs/expire.job.js';
import { JobRunner } from './jobs/job-runner.js';
import { PurgeJob } from './jobs/purge.job.js';
import { ReconcileJob } from './jobs/reconcile.job.js';
import { CLEANUP_LOG, type Logger } from './logging.js';
import { CleanupMetrics } from './metrics/cleanup-metrics.js';
import { CleanupQueue } from './queue/cleanup-queue.js';
import { CleanupWorker } from './queue/cleanup-worker.js';

/** Collaborators a test may replace; anything left out gets the real one. */
export interface CleanupOverrides {
  files?: FileLifecycle;
  quotas?: StorageMaintenance;
  relay?: RelayMaintenance;
  storage?: CleanupStorage;
  log?: Logger;
}

/** The process's metrics registry and shutdown, made by createCleanupApp. */
export interface CleanupOperations {
  metrics: ServiceMetrics;
  shutdown: ShutdownState;
}

@Module({})
export class AppModule {
  static register(
    config: CleanupConfig,
    operations: CleanupOperations,
    overrides: CleanupOverrides = {},
  ): DynamicModule {
    return {
      module: AppModule,
      controllers: [MetricsController, HealthController],
      providers: [
        { provide: CLEANUP_CONFIG, useValue: config },
        { provide: ServiceMetrics, useValue: operations.metrics },
        { provide: ShutdownState, useValue: operations.shutdown },
        { provide: CLEANUP_LOG, useValue: overrides.log ?? createLogger('cleanup', config.LOG_LEVEL) },
        ...serviceClientProviders(overrides),
        {
          provide: CLEANUP_STORAGE,
          useValue: overrides.storage ?? new ObjectStorage(storageConfig(config)),
        },
        CleanupQueue,
        {
          provide: CleanupMetrics,
          inject: [CleanupQueue, ServiceMetrics],
          useFactory: (queue: CleanupQueue, metrics: ServiceMetrics) =>
            new CleanupMetrics(() => queue.jobCounts(), metrics),
        },
        JobRunner,
        ExpireJob,
        PurgeJob,
        AbandonJob,
        ReconcileJob,
        ExpireOffersJob,
        CleanupWorker,
      ],
    };
  }
}

function serviceClientProviders(overrides: CleanupOverrides): Provider[] {
  const { files, quotas, relay } = overrides;
  if (files && quotas && relay) {
    return [
      { provide: FILE_LIFECYCLE, useValue: files },
      { provide: STORAGE_MAINTENANCE, useValue: quotas },
      { provide: RELAY_MAINTENANCE, useValue: relay },
    ];
  }
  return [
    MaintenanceConnections,
    {
      provide: FILE_LIFECYCLE,
      inject: [MaintenanceConnections],
      useFactory: (c: MaintenanceConnections) => files ?? c.files,
    },
    {
      provide: STORAGE_MAINTENANCE,
      inject: [MaintenanceConnections],
      useFactory: (c: MaintenanceConnections) => quotas ?? c.quotas,
    },
    {
      provide: RELAY_MAINTENANCE,
      inject: [MaintenanceConnections],
      useFactory: (c: MaintenanceConnections) => relay ?? c.relay,
    },
  ];
}
