import { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from '@lexy/server-grpc';
import { databaseProviders, databaseReachable } from '@lexy/server-database';
import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { quotasDatabase, type QuotasConfig } from './config/quotas.config.js';
import { QUOTAS_SCHEMA } from './database/schema.js';
import { QuotaController } from './quotas/quota.controller.js';
import { QuotaRepository } from './quotas/quota.repository.js';
import { QuotaService } from './quotas/quota.service.js';

@Module({})
export class AppModule {
  static register(config: QuotasConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [GrpcHealthController, QuotaController],
      providers: [
        ...databaseProviders(quotasDatabase(config), QUOTAS_SCHEMA),
        QuotaRepository,
        QuotaService,
        {
          provide: READINESS_CHECKS,
          inject: [DataSource],
          useFactory: (dataSource: DataSource): ReadinessCheck[] => [databaseReachable(dataSource)],
        },
      ],
    };
  }
}
